// wharf_loadgen: a small closed-loop HTTP/1.1 load generator for the discovery benchmark.
// N keep-alive connections (one thread each) send GETs of paths drawn at random from a file
// (one per line; repeat a line to weigh it; "class<TAB>path" groups lines for the report),
// for a warm-up and then D seconds, and report latency percentiles, requests/s, errors
// (non-2xx and broken connections) and the median body size, overall and per class.
// Bodies are read by Content-Length or chunked encoding, so keep-alive stays in step.
//
// usage: wharf_loadgen --url http://HOST:PORT --paths FILE [--connections 16]
//                      [--duration 30] [--warmup 5] [--header 'Name: value']...
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  std::string host = "127.0.0.1", port = "80";
  std::string paths_file;
  int connections = 16;
  double duration_s = 30, warmup_s = 5;
  std::vector<std::string> headers;
};

struct Target {
  std::size_t cls;
  std::string path;
};

struct Sample {
  uint32_t cls;
  int status;  // 0: the connection broke
  int64_t micros;
  uint64_t bytes;
};

// 0 warm-up, 1 measuring, 2 stop.
std::atomic<int> g_phase{0};

[[noreturn]] void die(const std::string& why) {
  std::fprintf(stderr, "wharf_loadgen: %s\n", why.c_str());
  std::exit(2);
}

Options parse_args(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) die(a + " needs a value");
      return argv[++i];
    };
    if (a == "--url") {
      std::string url = value();
      if (!url.starts_with("http://")) die("only http:// URLs");
      url = url.substr(7);
      url = url.substr(0, url.find('/'));
      auto colon = url.rfind(':');
      o.host = url.substr(0, colon);
      if (colon != std::string::npos) o.port = url.substr(colon + 1);
    } else if (a == "--paths") {
      o.paths_file = value();
    } else if (a == "--connections") {
      o.connections = std::stoi(value());
    } else if (a == "--duration") {
      o.duration_s = std::stod(value());
    } else if (a == "--warmup") {
      o.warmup_s = std::stod(value());
    } else if (a == "--header") {
      o.headers.push_back(value());
    } else {
      die("unknown argument " + a);
    }
  }
  if (o.paths_file.empty()) die("--paths FILE is required");
  if (o.connections < 1 || o.connections > 4096) die("--connections must be 1..4096");
  return o;
}

std::vector<Target> read_targets(const std::string& file, std::vector<std::string>& classes) {
  std::ifstream in(file);
  if (!in) die("cannot read " + file);
  std::map<std::string, std::size_t> index;
  std::vector<Target> out;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    auto tab = line.find('\t');
    std::string cls = tab == std::string::npos ? "all" : line.substr(0, tab);
    std::string path = tab == std::string::npos ? line : line.substr(tab + 1);
    if (path.empty() || path[0] != '/') die("not a path: " + line);
    auto [it, added] = index.emplace(cls, classes.size());
    if (added) classes.push_back(cls);
    out.push_back({it->second, path});
  }
  if (out.empty()) die("no paths in " + file);
  return out;
}

// One keep-alive connection and the bytes read past the last response.
class Connection {
 public:
  explicit Connection(const Options& o) : o_(o) {}
  ~Connection() { close(); }

  // The status and body size of one GET; nullopt when the connection broke (it is then
  // closed, and the next call reconnects).
  std::optional<std::pair<int, uint64_t>> get(const std::string& request) {
    if (fd_ < 0 && !connect()) return std::nullopt;
    if (!send_all(request)) return fail();
    auto head_end = read_until("\r\n\r\n");
    if (!head_end) return fail();
    std::string head = buf_.substr(0, *head_end);
    buf_.erase(0, *head_end + 4);
    int status = 0;
    if (head.size() < 12 || std::sscanf(head.c_str(), "HTTP/1.%*d %d", &status) != 1) return fail();
    for (auto& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    bool chunked = head.find("\ntransfer-encoding: chunked") != std::string::npos;
    bool closing = head.find("\nconnection: close") != std::string::npos;
    std::optional<uint64_t> length;
    if (auto p = head.find("\ncontent-length:"); p != std::string::npos)
      length = std::strtoull(head.c_str() + p + 16, nullptr, 10);
    uint64_t bytes = 0;
    if (chunked) {
      if (!read_chunked(bytes)) return fail();
    } else if (length) {
      if (!read_exactly(*length)) return fail();
      bytes = *length;
    } else {
      while (fill()) {
      }  // the body runs to the end of the connection
      bytes = buf_.size();
      closing = true;
    }
    if (closing) close();
    return std::make_pair(status, bytes);
  }

 private:
  bool connect() {
    addrinfo hints{}, *res = nullptr;
    hints.ai_socktype = SOCK_STREAM;
    if (getaddrinfo(o_.host.c_str(), o_.port.c_str(), &hints, &res) != 0) return false;
    fd_ = ::socket(res->ai_family, res->ai_socktype, res->ai_protocol);
    bool ok = fd_ >= 0 && ::connect(fd_, res->ai_addr, res->ai_addrlen) == 0;
    freeaddrinfo(res);
    if (!ok) {
      close();
      return false;
    }
    int one = 1;
    setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    timeval tv{10, 0};  // a stalled server fails the request instead of hanging the run
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    buf_.clear();
    return true;
  }
  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    buf_.clear();
  }
  std::nullopt_t fail() {
    close();
    return std::nullopt;
  }
  bool send_all(const std::string& s) {
    for (std::size_t off = 0; off < s.size();) {
      ssize_t n = ::send(fd_, s.data() + off, s.size() - off, MSG_NOSIGNAL);
      if (n <= 0) return false;
      off += static_cast<std::size_t>(n);
    }
    return true;
  }
  bool fill() {
    char tmp[65536];
    ssize_t n = ::recv(fd_, tmp, sizeof tmp, 0);
    if (n <= 0) return false;
    buf_.append(tmp, static_cast<std::size_t>(n));
    return true;
  }
  std::optional<std::size_t> read_until(const char* marker) {
    std::size_t from = 0;
    for (;;) {
      auto p = buf_.find(marker, from);
      if (p != std::string::npos) return p;
      from = buf_.size() > 3 ? buf_.size() - 3 : 0;
      if (buf_.size() > (1u << 20) || !fill()) return std::nullopt;
    }
  }
  bool read_exactly(uint64_t n) {
    while (buf_.size() < n)
      if (!fill()) return false;
    buf_.erase(0, n);
    return true;
  }
  bool read_chunked(uint64_t& bytes) {
    for (;;) {
      auto eol = read_until("\r\n");
      if (!eol) return false;
      uint64_t size = std::strtoull(buf_.c_str(), nullptr, 16);
      buf_.erase(0, *eol + 2);
      if (size == 0) {  // trailers, then the empty line
        for (;;) {
          auto end = read_until("\r\n");
          if (!end) return false;
          buf_.erase(0, *end + 2);
          if (*end == 0) return true;
        }
      }
      if (!read_exactly(size + 2)) return false;
      bytes += size;
    }
  }

  const Options& o_;
  int fd_ = -1;
  std::string buf_;
};

void run_connection(const Options& o, const std::vector<Target>& targets, unsigned seed,
                    std::vector<Sample>& out) {
  Connection conn(o);
  std::string extra = "Host: " + o.host + ":" + o.port + "\r\n";
  for (const auto& h : o.headers) extra += h + "\r\n";
  uint64_t x = 0x9e3779b97f4a7c15ULL * (seed + 1);
  while (g_phase.load(std::memory_order_relaxed) != 2) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    const Target& t = targets[x % targets.size()];
    std::string request = "GET " + t.path + " HTTP/1.1\r\n" + extra + "\r\n";
    bool measured = g_phase.load(std::memory_order_relaxed) == 1;
    auto start = Clock::now();
    auto r = conn.get(request);
    auto micros =
        std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start).count();
    if (!measured || g_phase.load(std::memory_order_relaxed) != 1) {
      if (!r) std::this_thread::sleep_for(std::chrono::milliseconds(10));
      continue;
    }
    out.push_back({static_cast<uint32_t>(t.cls), r ? r->first : 0, micros, r ? r->second : 0});
    if (!r)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));  // no busy loop when refused
  }
}

double pct_ms(const std::vector<int64_t>& sorted, double q) {
  if (sorted.empty()) return 0;
  auto i = static_cast<std::size_t>(
      std::max(0.0, std::ceil(q * static_cast<double>(sorted.size())) - 1));
  return static_cast<double>(sorted[std::min(i, sorted.size() - 1)]) / 1000.0;
}

void print_row(const std::string& name, std::vector<const Sample*> samples, double secs) {
  std::vector<int64_t> lat;
  std::vector<uint64_t> bytes;
  std::size_t errors = 0;
  for (const auto* s : samples) {
    lat.push_back(s->micros);
    if (s->status >= 200 && s->status < 300)
      bytes.push_back(s->bytes);
    else
      ++errors;
  }
  std::sort(lat.begin(), lat.end());
  std::sort(bytes.begin(), bytes.end());
  std::printf("%-22s %9zu %9.0f %8.2f %8.2f %8.2f %8.2f %7zu %10llu\n", name.c_str(),
              samples.size(), static_cast<double>(samples.size()) / secs, pct_ms(lat, 0.50),
              pct_ms(lat, 0.95), pct_ms(lat, 0.99),
              lat.empty() ? 0.0 : static_cast<double>(lat.back()) / 1000.0, errors,
              static_cast<unsigned long long>(bytes.empty() ? 0 : bytes[bytes.size() / 2]));
}

}  // namespace

int main(int argc, char** argv) {
  Options o = parse_args(argc, argv);
  std::vector<std::string> classes;
  auto targets = read_targets(o.paths_file, classes);
  std::vector<std::vector<Sample>> per_thread(o.connections);
  std::vector<std::thread> threads;
  for (int i = 0; i < o.connections; ++i)
    threads.emplace_back(run_connection, std::cref(o), std::cref(targets), static_cast<unsigned>(i),
                         std::ref(per_thread[i]));
  std::this_thread::sleep_for(std::chrono::duration<double>(o.warmup_s));
  auto start = Clock::now();
  g_phase = 1;
  std::this_thread::sleep_for(std::chrono::duration<double>(o.duration_s));
  g_phase = 2;
  double secs = std::chrono::duration<double>(Clock::now() - start).count();
  for (auto& t : threads) t.join();

  std::vector<const Sample*> all;
  std::vector<std::vector<const Sample*>> by_class(classes.size());
  std::map<int, std::size_t> statuses;
  for (const auto& v : per_thread)
    for (const auto& s : v) {
      all.push_back(&s);
      by_class[s.cls].push_back(&s);
      if (s.status < 200 || s.status >= 300) ++statuses[s.status];
    }
  std::printf(
      "wharf_loadgen: %d connections, %.1f s measured after %.1f s warm-up, %zu paths in %zu "
      "classes\n",
      o.connections, secs, o.warmup_s, targets.size(), classes.size());
  std::printf("%-22s %9s %9s %8s %8s %8s %8s %7s %10s\n", "class", "requests", "req/s", "p50_ms",
              "p95_ms", "p99_ms", "max_ms", "errors", "med_bytes");
  print_row("ALL", all, secs);
  if (classes.size() > 1)
    for (std::size_t c = 0; c < classes.size(); ++c) print_row(classes[c], by_class[c], secs);
  for (const auto& [status, count] : statuses)
    std::printf("errors: %zu x %s\n", count,
                status ? ("HTTP " + std::to_string(status)).c_str() : "broken connection");
  return 0;
}
