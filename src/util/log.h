// Minimal leveled logging to stderr. Thread-safe (one write per line).
#pragma once

#include <string_view>

namespace wharf::log {

enum class Level { Debug = 0, Info = 1, Warn = 2, Error = 3 };

void set_level(Level level);
bool parse_level(std::string_view name, Level& out);  // "debug" | "info" | "warn" | "error"
bool enabled(Level level);
void write(Level level, std::string_view message);

inline void debug(std::string_view m) { write(Level::Debug, m); }
inline void info(std::string_view m) { write(Level::Info, m); }
inline void warn(std::string_view m) { write(Level::Warn, m); }
inline void error(std::string_view m) { write(Level::Error, m); }

}  // namespace wharf::log
