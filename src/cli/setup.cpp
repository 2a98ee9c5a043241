#include "cli/setup.h"

#include <cstdio>
#include <filesystem>

#include "util/log.h"

namespace wharf::cli {

int open_environment(const std::vector<std::string>& args, Environment& env) {
  bool help = false;
  std::string usage;
  auto config = parse_config(args, env.rest, help, usage);
  if (!config) {
    std::fprintf(stderr, "wharf: %s\n%s", config.error().message.c_str(), usage.c_str());
    return 2;
  }
  if (help) {
    std::fputs(usage.c_str(), stdout);
    return 0;
  }
  env.config = std::move(*config);
  // Absolute, because git runs the receive hook inside the repository.
  env.config.data_dir = std::filesystem::absolute(env.config.data_dir).lexically_normal().string();
  while (env.config.data_dir.size() > 1 && env.config.data_dir.back() == '/') env.config.data_dir.pop_back();
  log::Level level;
  if (!log::parse_level(env.config.log_level, level)) {
    std::fprintf(stderr, "wharf: unknown log level %s\n", env.config.log_level.c_str());
    return 2;
  }
  log::set_level(level);
  env.git = std::make_unique<storage::GitLibrary>();
  storage::GitRepo::enable_fsync();
  hub::HubOptions ho;
  ho.data_dir = env.config.data_dir;
  ho.lfs_grace_ms = env.config.lfs_grace_seconds * 1000;
  ho.multipart_threshold = env.config.lfs_multipart_threshold;
  ho.multipart_chunk_size = env.config.lfs_multipart_chunk_size;
  auto hub = hub::Hub::open(ho);
  if (!hub) {
    std::fprintf(stderr, "wharf: %s\n", hub.error().message.c_str());
    return 1;
  }
  env.hub = std::move(*hub);
  return -1;
}

}  // namespace wharf::cli
