// The HTTP/1.1 server: accepts connections and hands each request to one Handler.
//
// Each connection is served by its own thread with blocking socket I/O and timeouts;
// handlers are plain synchronous functions that may stream request and response bodies.
// (See ARCHITECTURE.md "HTTP threading" for why.)
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "http/message.h"

namespace wharf::http {

struct ServerOptions {
  std::string bind_address = "0.0.0.0";
  uint16_t port = 8080;
  int max_connections = 1024;
  int io_timeout_seconds = 120;    // a read or write that makes no progress for this long fails
  bool log_requests = true;
};

class Server {
 public:
  Server(ServerOptions options, Handler handler);
  ~Server();
  // Replaces the handler. REQUIRES: run() has not started.
  void set_handler(Handler handler);
  // Binds and listens; returns the port actually bound (useful with port 0).
  Result<uint16_t> listen();
  // Accepts connections until stop() is called from another thread, then drains: requests in
  // flight finish (idle keep-alive connections are woken and closed). Returns false when some
  // connection was still busy after `drain_seconds`; its thread still uses the handler then.
  bool run(int drain_seconds = 30);
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace wharf::http
