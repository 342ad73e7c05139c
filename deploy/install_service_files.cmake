# Runs at install time (install(SCRIPT) from the top CMakeLists.txt), where CMAKE_INSTALL_PREFIX is
# the prefix given to `cmake --install --prefix`, not the one configured: the files here name
# installed paths, so they are written for the prefix actually installed to.
# Expects GONGKAI_SOURCE_DIR, GONGKAI_BINDIR, GONGKAI_DOCDIR, GONGKAI_SYSCONFDIR and
# GONGKAI_SYSTEMD_UNIT_DIR (GNUInstallDirs values, relative to the prefix unless absolute).

function(gongkai_full_path dir out)
  if(IS_ABSOLUTE "${dir}")
    set(${out} "${dir}" PARENT_SCOPE)
  elseif(dir STREQUAL "etc" AND CMAKE_INSTALL_PREFIX STREQUAL "/usr")
    # As GNUInstallDirs does for CMAKE_INSTALL_FULL_SYSCONFDIR: /usr's configuration is /etc.
    set(${out} "/etc" PARENT_SCOPE)
  else()
    set(${out} "${CMAKE_INSTALL_PREFIX}/${dir}" PARENT_SCOPE)
  endif()
endfunction()

# Writes content to path under DESTDIR and records it in install_manifest.txt.
macro(gongkai_install_text path content)
  message(STATUS "Installing: $ENV{DESTDIR}${path}")
  file(WRITE "$ENV{DESTDIR}${path}" "${content}")
  list(APPEND CMAKE_INSTALL_MANIFEST_FILES "${path}")
endmacro()

gongkai_full_path("${GONGKAI_BINDIR}" bindir)
gongkai_full_path("${GONGKAI_DOCDIR}" docdir)
gongkai_full_path("${GONGKAI_SYSCONFDIR}" sysconfdir)
gongkai_full_path("${GONGKAI_SYSTEMD_UNIT_DIR}" unitdir)

# The unit as written in deploy/ names /usr/local; ExecStart must name this prefix's binary.
file(READ "${GONGKAI_SOURCE_DIR}/deploy/gongkai@.service" unit)
string(REPLACE "/usr/local/bin/" "${bindir}/" unit "${unit}")
string(REPLACE "/usr/local/share/doc/gongkai/" "${docdir}/" unit "${unit}")
gongkai_install_text("${unitdir}/gongkai@.service" "${unit}")

# systemd-sysusers reads PREFIX/lib/sysusers.d for /usr and /usr/local alike.
file(READ "${GONGKAI_SOURCE_DIR}/deploy/gongkai.sysusers" sysusers)
gongkai_install_text("${CMAKE_INSTALL_PREFIX}/lib/sysusers.d/gongkai.conf" "${sysusers}")

# The sample configuration; one already there (an operator's, for --prefix /usr the one in
# /etc/gongkai) is kept, and the new sample goes beside it.
file(READ "${GONGKAI_SOURCE_DIR}/deploy/gongkai.properties" sample)
set(config "${sysconfdir}/gongkai/gongkai.properties")
if(EXISTS "$ENV{DESTDIR}${config}")
  file(READ "$ENV{DESTDIR}${config}" installed)
  if(NOT installed STREQUAL sample)
    message(STATUS "Keeping: $ENV{DESTDIR}${config} (the new sample is ${config}.new)")
    set(config "${config}.new")
  endif()
endif()
gongkai_install_text("${config}" "${sample}")
