// gongkai_bench: starts the real server on a temporary data folder and measures
//   1. documents created per second through HTTP by 8 concurrent keep-alive clients (durable
//      commits: every 201 is on disk), and
//   2. throughput and the server's peak RSS for one streamed 1 GiB multipart upload.
// Each figure is the median of --runs runs (default 3). Usage:
//   gongkai_bench [--runs N] [--documents N] [--clients N] [--upload-mib N]
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "bench_options.h"
#include "bench_stats.h"
#include "support/http_client.h"
#include "support/server_process.h"
#include "support/temp_dir.h"

namespace {

using namespace gongkai::testing;
using gongkai::bench::Clock;
using gongkai::bench::median;
using gongkai::bench::peakRssKib;

// Logs in as the admin the first start printed, adds the unit sampleMetadata files into and an
// archivist of it, and returns that archivist's bearer token ("" when any step is refused).
std::string archivistToken(const ServerProcess& server) {
  const HttpClient anonymous(server.port());
  const std::string password = firstAdminPassword(server.log());
  if (password.empty()) return "";
  const HttpClient admin = anonymous.as(login(anonymous, "admin", password));
  admin.postJson("/api/v1/org-units", R"({"code":"branch-1","name":"第一支部","parent":""})");
  admin.postJson("/api/v1/users", R"({"username":"archivist1","password":"bench-password-long",)"
                                  R"("roles":[{"role":"archivist","unit":"branch-1"}]})");
  return login(anonymous, "archivist1", "bench-password-long");
}

double createDocuments(int port, const std::string& token, int clients, int total) {
  std::atomic<int> next{0};
  std::atomic<int> failures{0};
  const auto started = Clock::now();
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&] {
      Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
      session.setKeepAlive(true);
      for (int i; (i = next++) < total;) {
        const std::string body = sampleMetadata("基准文档" + std::to_string(i));
        Poco::Net::HTTPRequest request("POST", "/api/v1/documents",
                                       Poco::Net::HTTPMessage::HTTP_1_1);
        request.setKeepAlive(true);
        request.set("Authorization", "Bearer " + token);
        request.setContentType("application/json");
        request.setContentLength64(static_cast<Poco::Int64>(body.size()));
        session.sendRequest(request) << body;
        Poco::Net::HTTPResponse response;
        std::string reply;
        Poco::StreamCopier::copyToString(session.receiveResponse(response), reply);
        if (response.getStatus() != 201) ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  if (failures > 0) std::cerr << "  " << failures << " requests failed\n";
  return total / seconds;
}

// Streams a multipart body of `mib` MiB from a small buffer, so the client holds no copy either.
double uploadMib(int port, const std::string& token, int mib) {
  const std::string boundary = "benchBoundary7MA4YWxkTrZu0gW";
  const std::string head =
      "--" + boundary + "\r\nContent-Disposition: form-data; name=\"metadata\"\r\n\r\n" +
      sampleMetadata("大文件上传") + "\r\n--" + boundary +
      "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.bin\"\r\n"
      "Content-Type: application/octet-stream\r\n\r\n";
  const std::string tail = "\r\n--" + boundary + "--\r\n";
  const std::int64_t payload = std::int64_t{mib} << 20;
  Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
  session.setTimeout(Poco::Timespan(600, 0));
  Poco::Net::HTTPRequest request("POST", "/api/v1/documents", Poco::Net::HTTPMessage::HTTP_1_1);
  request.set("Authorization", "Bearer " + token);
  request.setContentType("multipart/form-data; boundary=" + boundary);
  request.setContentLength64(static_cast<Poco::Int64>(head.size() + payload + tail.size()));
  const auto started = Clock::now();
  std::ostream& out = session.sendRequest(request);
  out << head;
  std::vector<char> chunk(1 << 20);
  for (std::size_t i = 0; i < chunk.size(); ++i) chunk[i] = static_cast<char>((i * 131) & 0xff);
  for (std::int64_t sent = 0; sent < payload; sent += static_cast<std::int64_t>(chunk.size())) {
    chunk[0] = static_cast<char>(sent >> 20);  // no two chunks alike
    out.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
  }
  out << tail;
  Poco::Net::HTTPResponse response;
  std::string reply;
  Poco::StreamCopier::copyToString(session.receiveResponse(response), reply);
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  if (response.getStatus() != 201) std::cerr << "  upload failed: " << reply.substr(0, 300) << "\n";
  return mib / seconds;
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 3, documents = 4000, clients = 8, uploadSize = 1024;
  gongkai::bench::Options("gongkai_bench",
                          "HTTP document creation with concurrent clients, and one large upload.")
      .add("--runs", &runs, "runs (medians are printed)")
      .add("--documents", &documents, "documents created per run")
      .add("--clients", &clients, "concurrent keep-alive clients")
      .add("--upload-mib", &uploadSize, "size of the streamed upload")
      .parse(argc, argv);
  std::vector<double> rates, throughputs, rss;
  for (int run = 0; run < runs; ++run) {
    TempDir temp;
    ServerProcess server(temp / "data");
    const std::string token = archivistToken(server);
    if (token.empty()) {
      std::cerr << "could not sign in as an archivist\n";
      return 1;
    }
    rates.push_back(createDocuments(server.port(), token, clients, documents));
    std::printf("run %d: %.0f documents/s (%d clients, %d documents)\n", run + 1, rates.back(),
                clients, documents);
    std::fflush(stdout);
    throughputs.push_back(uploadMib(server.port(), token, uploadSize));
    rss.push_back(peakRssKib(server.pid()) / 1024.0);
    std::printf("run %d: upload %d MiB at %.0f MiB/s, server peak RSS %.1f MiB\n", run + 1,
                uploadSize, throughputs.back(), rss.back());
    std::fflush(stdout);
  }
  std::printf(
      "median of %d runs: %.0f documents/s with %d clients; %d MiB upload at %.0f MiB/s; "
      "server peak RSS %.1f MiB\n",
      runs, median(rates), clients, uploadSize, median(throughputs), median(rss));
  return 0;
}
