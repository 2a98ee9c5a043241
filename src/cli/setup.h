// What every command needs first: the configuration, logging, libgit2 and the open hub.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "cli/config.h"
#include "hub/hub.h"

namespace wharf::cli {

struct Environment {
  Config config;
  std::vector<std::string> rest;  // positional words
  std::unique_ptr<storage::GitLibrary> git;
  std::unique_ptr<hub::Hub> hub;
};

// Fills `env`; returns -1 to go on, or the exit code to return now (help printed, or an
// error reported on stderr).
int open_environment(const std::vector<std::string>& args, Environment& env);

}  // namespace wharf::cli
