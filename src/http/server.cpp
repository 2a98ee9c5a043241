// The only translation unit that includes Beast (build time: see ARCHITECTURE.md).
#include <utility>  // before any Asio header (Boost 1.74 quirk)

#include "http/server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/status.hpp>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <limits>
#include <cstring>
#include <thread>

#include "util/crypto.h"
#include "util/log.h"

namespace wharf::http {
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

namespace {

// A blocking socket with a per-operation inactivity timeout, shaped as Beast's SyncReadStream.
class FdStream {
 public:
  FdStream(int fd, int timeout_ms) : fd_(fd), timeout_ms_(timeout_ms) {}

  template <class MutableBufferSequence>
  std::size_t read_some(const MutableBufferSequence& buffers, boost::system::error_code& ec) {
    for (auto it = boost::asio::buffer_sequence_begin(buffers);
         it != boost::asio::buffer_sequence_end(buffers); ++it) {
      boost::asio::mutable_buffer b = *it;
      if (b.size() == 0) continue;
      return recv_some(static_cast<char*>(b.data()), b.size(), ec);
    }
    ec = {};
    return 0;
  }
  template <class MutableBufferSequence>
  std::size_t read_some(const MutableBufferSequence& buffers) {
    boost::system::error_code ec;
    auto n = read_some(buffers, ec);
    if (ec) throw boost::system::system_error(ec);
    return n;
  }

  // Writes all of [data, data+n); false on timeout or error.
  bool write_all(const char* data, std::size_t n) {
    while (n > 0) {
      if (!wait(POLLOUT)) return false;
      ssize_t k = ::send(fd_, data, n, MSG_NOSIGNAL);
      if (k < 0) {
        if (errno == EINTR || errno == EAGAIN) continue;
        return false;
      }
      data += k;
      n -= static_cast<std::size_t>(k);
    }
    return true;
  }
  bool write_all(std::string_view s) { return write_all(s.data(), s.size()); }

  bool send_file(int in_fd, uint64_t offset, uint64_t length) {
    off_t off = static_cast<off_t>(offset);
    while (length > 0) {
      if (!wait(POLLOUT)) return false;
      std::size_t chunk = length > (1u << 30) ? (1u << 30) : static_cast<std::size_t>(length);
      ssize_t k = ::sendfile(fd_, in_fd, &off, chunk);
      if (k < 0) {
        if (errno == EINTR || errno == EAGAIN) continue;
        return false;
      }
      if (k == 0) return false;  // the file shrank under us
      length -= static_cast<uint64_t>(k);
    }
    return true;
  }

 private:
  bool wait(short events) {
    pollfd p{fd_, events, 0};
    for (;;) {
      int r = ::poll(&p, 1, timeout_ms_);
      if (r > 0) return true;
      if (r == 0) return false;
      if (errno != EINTR) return false;
    }
  }
  // Reads at least one byte (waiting up to the timeout), and then whatever else the socket
  // already holds, up to n: large reads keep syscalls few on big uploads.
 public:
  std::size_t recv_some(char* out, std::size_t n, boost::system::error_code& ec) {
    std::size_t got = 0;
    while (got < n) {
      ssize_t k = ::recv(fd_, out + got, n - got, MSG_DONTWAIT);
      if (k > 0) {
        got += static_cast<std::size_t>(k);
        continue;
      }
      if (k == 0) {
        if (got > 0) break;
        ec = boost::asio::error::eof;
        return 0;
      }
      if (errno == EINTR) continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK) {
        if (got > 0) break;
        ec = boost::system::error_code(errno, boost::system::system_category());
        return 0;
      }
      if (got > 0) break;
      if (!wait(POLLIN)) {
        ec = boost::asio::error::timed_out;
        return 0;
      }
    }
    ec = {};
    return got;
  }

 int fd() const { return fd_; }

 private:
  int fd_;
  int timeout_ms_;
};

using Parser = bhttp::request_parser<bhttp::buffer_body>;

// The request body, pulled as the handler reads it. A body of known length is read straight
// from the socket into the caller's buffer; a chunked one goes through Beast's parser.
class ParserBody : public ByteSource {
 public:
  ParserBody(FdStream& stream, beast::flat_buffer& buf, Parser& parser, bool expect_continue)
      : stream_(stream), buf_(buf), parser_(parser), expect_continue_(expect_continue) {
    if (!parser_.chunked()) remaining_ = parser_.content_length().value_or(0);
  }

  // Whether the whole body has been read.
  bool done() const { return remaining_ ? *remaining_ == 0 : parser_.is_done(); }
  bool failed() const { return failed_; }

  Result<std::size_t> read(char* out, std::size_t n) override {
    if (n == 0 || done()) return std::size_t{0};
    if (expect_continue_) {
      expect_continue_ = false;
      if (!stream_.write_all("HTTP/1.1 100 Continue\r\n\r\n")) return broken("client disconnected");
    }
    return remaining_ ? read_fixed(out, n) : read_chunked(out, n);
  }

 private:
  Result<std::size_t> broken(const std::string& why) {
    failed_ = true;
    return fail(errors::bad_request("Request body incomplete: " + why));
  }

  Result<std::size_t> read_fixed(char* out, std::size_t n) {
    std::size_t want = static_cast<std::size_t>(std::min<uint64_t>(n, *remaining_));
    std::size_t got = 0;
    if (buf_.size() > 0) {  // what the header read already pulled in
      got = std::min(want, buf_.size());
      std::memcpy(out, buf_.data().data(), got);
      buf_.consume(got);
    }
    if (got == 0) {
      boost::system::error_code ec;
      got = stream_.recv_some(out, want, ec);
      if (ec) return broken(ec.message());
    }
    *remaining_ -= got;
    return got;
  }

  Result<std::size_t> read_chunked(char* out, std::size_t n) {
    while (!parser_.is_done()) {
      auto& body = parser_.get().body();
      body.data = out;
      body.size = n;
      boost::system::error_code ec;
      bhttp::read_some(stream_, buf_, parser_, ec);
      if (ec == bhttp::error::need_buffer) ec = {};
      std::size_t got = n - parser_.get().body().size;
      if (ec) return broken(ec.message());
      if (got > 0) return got;
    }
    return std::size_t{0};
  }

  FdStream& stream_;
  beast::flat_buffer& buf_;
  Parser& parser_;
  bool expect_continue_;
  bool failed_ = false;
  std::optional<uint64_t> remaining_;  // set for bodies of known length
};

std::string reason(int status) {
  auto r = bhttp::obsolete_reason(static_cast<bhttp::status>(status));
  return std::string(r.data(), r.size());
}

std::string head_block(const Response& r) {
  std::string out = "HTTP/1.1 " + std::to_string(r.status) + " " + reason(r.status) + "\r\n";
  for (const auto& [k, v] : r.headers.fields()) {
    out += k;
    out += ": ";
    out += v;
    out += "\r\n";
  }
  out += "\r\n";
  return out;
}

// Sets framing headers; returns whether the body is sent chunked.
bool frame(Response& r, bool is_head) {
  r.headers.remove("Content-Length");
  r.headers.remove("Transfer-Encoding");
  bool no_body = r.status == 204 || r.status == 304 || (r.status >= 100 && r.status < 200);
  if (no_body) return false;
  std::optional<uint64_t> length;
  if (r.file) length = r.file->length;
  else if (r.stream) length = r.stream_length;
  else length = r.body.size();
  if (is_head && r.head_length) length = r.head_length;
  if (length) {
    r.headers.set("Content-Length", std::to_string(*length));
    return false;
  }
  if (is_head) return false;
  r.headers.set("Transfer-Encoding", "chunked");
  return true;
}

// Each chunk leaves in one send: its size line is written into the room before the data and
// its CRLF after it (three sends made three segments under TCP_NODELAY, two of them tiny).
bool send_stream(FdStream& out, ByteSource& src, bool chunked) {
  constexpr std::size_t kRoom = 16, kMax = 256 * 1024;
  std::vector<char> buf(kRoom + kMax + 2);
  char* data = buf.data() + kRoom;
  for (;;) {
    auto n = src.read(data, kMax);
    if (!n) {
      log::warn("response stream failed: " + n.error().message);
      return false;  // abort the connection: the client sees a truncated body
    }
    if (*n == 0) break;
    char* begin = data;
    std::size_t len = *n;
    if (chunked) {
      char size_line[kRoom];
      int k = std::snprintf(size_line, sizeof size_line, "%zx\r\n", *n);
      begin -= k;
      std::memcpy(begin, size_line, static_cast<std::size_t>(k));
      std::memcpy(data + *n, "\r\n", 2);
      len += static_cast<std::size_t>(k) + 2;
    }
    if (!out.write_all(begin, len)) return false;
  }
  return !chunked || out.write_all("0\r\n\r\n");
}

}  // namespace

struct Server::Impl {
  ServerOptions options;
  Handler handler;
  int listen_fd = -1;
  std::atomic<bool> stopping{false};
  std::atomic<int> active{0};
  // Connections by fd, with whether each waits for its next request (so stop() may wake it).
  std::mutex conns_mu;
  std::condition_variable conns_cv;
  std::map<int, bool> conns;

  void set_idle(int fd, bool idle) {
    std::lock_guard lock(conns_mu);
    conns[fd] = idle;
    if (idle && stopping) ::shutdown(fd, SHUT_RD);
  }

  void serve(int fd, std::string remote);
  bool serve_one(FdStream& stream, beast::flat_buffer& buf, const std::string& remote);
};

Server::Server(ServerOptions options, Handler handler) : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  impl_->handler = std::move(handler);
}

void Server::set_handler(Handler handler) { impl_->handler = std::move(handler); }

Server::~Server() {
  if (impl_->listen_fd >= 0) ::close(impl_->listen_fd);
}

Result<uint16_t> Server::listen() {
  sockaddr_storage ss{};
  socklen_t len = 0;
  const std::string& host = impl_->options.bind_address;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&ss);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&ss);
  if (inet_pton(AF_INET, host.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(impl_->options.port);
    len = sizeof *v4;
  } else if (inet_pton(AF_INET6, host.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(impl_->options.port);
    len = sizeof *v6;
  } else {
    return fail(errors::bad_request("Invalid bind address: " + host));
  }
  int fd = ::socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return fail(errors::internal(std::string("socket: ") + std::strerror(errno)));
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&ss), len) != 0 || ::listen(fd, 512) != 0) {
    std::string why = std::strerror(errno);
    ::close(fd);
    return fail(errors::internal("Cannot listen on " + host + ":" +
                                 std::to_string(impl_->options.port) + ": " + why));
  }
  impl_->listen_fd = fd;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len);
  return ntohs(ss.ss_family == AF_INET ? v4->sin_port : v6->sin6_port);
}

void Server::stop() {
  // Under the lock: run() drains (and its caller may destroy us) only once stop() is done.
  std::lock_guard lock(impl_->conns_mu);
  impl_->stopping = true;
  if (impl_->listen_fd >= 0) ::shutdown(impl_->listen_fd, SHUT_RDWR);
  for (auto [fd, idle] : impl_->conns)
    if (idle) ::shutdown(fd, SHUT_RD);  // wakes its read; a busy one closes after its response
}

bool Server::run(int drain_seconds) {
  while (!impl_->stopping) {
    sockaddr_storage ss{};
    socklen_t len = sizeof ss;
    int fd = ::accept4(impl_->listen_fd, reinterpret_cast<sockaddr*>(&ss), &len, SOCK_CLOEXEC);
    if (fd < 0) {
      if (impl_->stopping) break;
      if (errno == EINTR || errno == ECONNABORTED) continue;
      log::error(std::string("accept: ") + std::strerror(errno));
      std::this_thread::sleep_for(std::chrono::milliseconds(50));  // e.g. EMFILE: back off
      continue;
    }
    char addr[INET6_ADDRSTRLEN] = "?";
    if (ss.ss_family == AF_INET)
      inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(&ss)->sin_addr, addr, sizeof addr);
    else if (ss.ss_family == AF_INET6)
      inet_ntop(AF_INET6, &reinterpret_cast<sockaddr_in6*>(&ss)->sin6_addr, addr, sizeof addr);
    if (impl_->active.load() >= impl_->options.max_connections) {
      static const char busy[] =
          "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
      (void)!::send(fd, busy, sizeof busy - 1, MSG_NOSIGNAL);
      ::close(fd);
      continue;
    }
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    impl_->active++;
    impl_->set_idle(fd, true);
    std::thread([impl = impl_.get(), fd, remote = std::string(addr)] {
      impl->serve(fd, remote);
      std::lock_guard lock(impl->conns_mu);
      impl->conns.erase(fd);
      ::close(fd);
      impl->active--;
      impl->conns_cv.notify_all();
    }).detach();
  }
  std::unique_lock lock(impl_->conns_mu);
  auto drained = [&] { return impl_->active.load() == 0; };
  if (impl_->conns_cv.wait_for(lock, std::chrono::seconds(drain_seconds), drained)) return true;
  for (auto [fd, idle] : impl_->conns) ::shutdown(fd, SHUT_RDWR);  // long transfers: cut them
  return impl_->conns_cv.wait_for(lock, std::chrono::seconds(5), drained);
}

void Server::Impl::serve(int fd, std::string remote) {
  FdStream stream(fd, options.io_timeout_seconds * 1000);
  beast::flat_buffer buf;
  try {
    while (!stopping && serve_one(stream, buf, remote)) {
    }
  } catch (const std::exception& e) {
    log::error(std::string("connection error: ") + e.what());
  }
}

// Serves one request; returns whether the connection may carry another.
bool Server::Impl::serve_one(FdStream& stream, beast::flat_buffer& buf, const std::string& remote) {
  Parser parser;
  parser.header_limit(64 * 1024);
  // Not boost::none: Boost 1.74 compares the limit as an optional, and none is below every length.
  parser.body_limit(std::numeric_limits<std::uint64_t>::max());
  boost::system::error_code ec;
  bhttp::read_header(stream, buf, parser, ec);
  set_idle(stream.fd(), false);
  if (ec) {
    if (ec != boost::asio::error::eof && ec != boost::asio::error::timed_out &&
        ec != bhttp::error::end_of_stream) {
      Response r = error_response(errors::bad_request("Malformed HTTP request: " + ec.message()));
      r.headers.set("Connection", "close");
      frame(r, false);
      stream.write_all(head_block(r));
      stream.write_all(r.body);
    }
    return false;
  }
  auto start = std::chrono::steady_clock::now();
  const auto& msg = parser.get();
  Request req;
  req.method = std::string(msg.method_string());
  req.target = std::string(msg.target());
  auto q = req.target.find('?');
  req.path = req.target.substr(0, q);
  if (q != std::string::npos) req.query = req.target.substr(q + 1);
  for (const auto& f : msg) req.headers.add(std::string(f.name_string()), std::string(f.value()));
  req.remote_address = remote;
  if (auto cl = parser.content_length()) req.content_length = *cl;
  else if (!parser.chunked()) req.content_length = 0;
  req.request_id = req.headers.get("X-Request-Id").value_or("");
  if (req.request_id.empty() || req.request_id.size() > 200) req.request_id = random_hex(24);
  auto expect = req.headers.get("Expect");
  ParserBody body(stream, buf, parser,
                  expect && strcasecmp(expect->c_str(), "100-continue") == 0);
  req.set_body_source(&body);

  Response res;
  try {
    auto r = handler(req);
    res = r ? std::move(*r) : error_response(r.error());
  } catch (const std::exception& e) {
    log::error("handler threw on " + req.method + " " + req.path + ": " + e.what());
    res = error_response(errors::internal("Internal error"));
  }

  bool keep_alive = msg.keep_alive() && !stopping;
  // A streamed response may still be consuming the body (git's stdin is fed while its output
  // is sent): the rest is never drained then, and the connection closes after it.
  if (!body.done() && !res.stream) {
    // The handler did not consume the body. Drain a small rest; close on a large one.
    char sink[16 * 1024];
    std::size_t drained = 0;
    while (!body.failed() && !body.done() && drained < (1u << 20)) {
      auto n = body.read(sink, sizeof sink);
      if (!n || *n == 0) break;
      drained += *n;
    }
    if (!body.done()) keep_alive = false;
  }
  res.headers.set("X-Request-Id", req.request_id);
  if (!keep_alive) res.headers.set("Connection", "close");
  bool is_head = req.method == "HEAD";
  // A HEAD error has no body to parse: say so, or the JS client calls response.json() on
  // nothing and throws a SyntaxError instead of its HubApiError.
  if (is_head && res.status >= 400) res.headers.set("Content-Type", "text/plain; charset=utf-8");
  bool chunked = frame(res, is_head);
  bool ok = stream.write_all(head_block(res));
  bool body_allowed = !is_head && res.status != 204 && res.status != 304;
  if (ok && body_allowed) {
    if (res.file) ok = stream.send_file(res.file->fd.get(), res.file->offset, res.file->length);
    else if (res.stream) ok = send_stream(stream, *res.stream, chunked);
    else ok = stream.write_all(res.body);
  }
  if (res.stream) {
    res.stream.reset();  // joins whatever the stream runs before the body is looked at
    if (!body.done()) keep_alive = false;
  }
  if (options.log_requests && log::enabled(log::Level::Info)) {
    auto ms = std::chrono::duration_cast<std::chrono::microseconds>(
                  std::chrono::steady_clock::now() - start).count() / 1000.0;
    char line[64];
    std::snprintf(line, sizeof line, " %d %.1fms", res.status, ms);
    log::info(req.method + " " + req.path + line + (ok ? "" : " (aborted)"));
  }
  if (ok && keep_alive) set_idle(stream.fd(), true);
  return ok && keep_alive && !stopping;
}

}  // namespace wharf::http
