#include "web/human_format.h"

#include <algorithm>
#include <cstdio>
#include <ctime>

namespace wharf::web {

std::string human_size(uint64_t bytes) {
  static constexpr const char* units[] = {"Bytes", "kB", "MB", "GB", "TB", "PB"};
  if (bytes < 1000) return std::to_string(bytes) + " Bytes";
  double v = static_cast<double>(bytes);
  int u = 0;
  while (v >= 1000 && u < 5) {
    v /= 1000;
    ++u;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, v < 10 ? "%.2f %s" : (v < 100 ? "%.1f %s" : "%.0f %s"), v, units[u]);
  return buf;
}

std::string human_date(int64_t ms) {
  std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

std::string human_ago(int64_t ms, int64_t now_ms) {
  int64_t s = std::max<int64_t>(0, (now_ms - ms) / 1000);
  auto say = [](int64_t n, const char* unit) {
    return std::to_string(n) + " " + unit + (n == 1 ? "" : "s") + " ago";
  };
  if (s < 60) return "just now";
  if (s < 3600) return say(s / 60, "minute");
  if (s < 86400) return say(s / 3600, "hour");
  if (s < 86400 * 30) return say(s / 86400, "day");
  if (s < 86400 * 365) return say(s / (86400 * 30), "month");
  return say(s / (86400 * 365), "year");
}

std::string human_count(int64_t n) {
  char buf[32];
  if (n < 1000) return std::to_string(n);
  if (n < 1000000) {
    std::snprintf(buf, sizeof buf, n < 10000 ? "%.1fk" : "%.0fk", n / 1000.0);
    return buf;
  }
  std::snprintf(buf, sizeof buf, n < 10000000 ? "%.1fM" : "%.0fM", n / 1000000.0);
  return buf;
}

}  // namespace wharf::web
