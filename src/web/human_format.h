// Numbers and times as the pages show them to people.
#pragma once

#include <cstdint>
#include <string>

namespace wharf::web {

// Human sizes: "1.2 kB", "3.4 MB" (decimal, as the Hub shows them).
std::string human_size(uint64_t bytes);
// "2026-11-26" from unix milliseconds; "3 days ago" style with relative.
std::string human_date(int64_t ms);
std::string human_ago(int64_t ms, int64_t now_ms);
// "1.2k", "3.4M" for counters.
std::string human_count(int64_t n);

}  // namespace wharf::web
