#include <iostream>

#include "gongkai/server/app/server_app.h"

POCO_SERVER_MAIN(gongkai::server::app::ServerApp)
