// Clock and the Hub's date format.
#pragma once

#include <cstdint>
#include <string>

namespace wharf {

int64_t now_ms();  // unix time in milliseconds
// "YYYY-MM-DDTHH:MM:SS.mmmZ" in UTC (spec §1.9).
std::string format_iso8601(int64_t unix_ms);

}  // namespace wharf
