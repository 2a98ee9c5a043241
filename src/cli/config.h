// Server configuration: flags > WHARF_* environment > config file > defaults (ARCHITECTURE
// decision 8).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "hub/rate_limit.h"
#include "util/error.h"

namespace wharf::cli {

struct Config {
  std::string bind_address = "0.0.0.0";
  uint16_t port = 8080;
  std::string data_dir = "./wharf-data";
  std::string public_url;  // "" = derived from the bound address and port
  std::string log_level = "info";
  int64_t lfs_grace_seconds = 24 * 3600;
  uint64_t lfs_multipart_threshold = 512ULL << 20;
  uint64_t lfs_multipart_chunk_size = 64ULL << 20;
  int max_connections = 1024;
  // Download counts are written every this many ms; the 30-day and trending counters are
  // recomputed every 60 flushes (10 minutes by default).
  int64_t downloads_flush_ms = 10000;
  bool signup_open = true;                        // --signup open|closed
  std::vector<std::string> signup_email_domains;  // --signup-email-domains a.org,b.com (lower case; empty: any)
  hub::RateLimitConfig rate_limits;  // --rate-limit-*
  uint64_t web_upload_max_bytes = 5ULL << 30;  // --web-upload-max-bytes: one upload of the web page
  // `wharf admin` arguments.
  std::string admin_user;
  std::string admin_role = "write";
  std::string admin_token_name = "cli";
  bool admin_flag = false;
  std::string admin_email;            // admin user create
  bool admin_password_stdin = false;  // admin user create
  std::string admin_namespace;        // admin audit: only this namespace
  int64_t admin_limit = 100;          // admin audit: at most this many entries
};

// Parses `args` (the words after "serve" or "admin") with the environment and an optional
// --config file. `rest` receives the positional words. Errors: BadRequest with usage text.
Result<Config> parse_config(const std::vector<std::string>& args, std::vector<std::string>& rest,
                            bool& help, std::string& usage);

}  // namespace wharf::cli
