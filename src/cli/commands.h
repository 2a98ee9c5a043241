// The faces of the one binary: `wharf serve` and `wharf admin …`.
#pragma once

#include <string>
#include <vector>

namespace wharf::cli {

int run_serve(const std::vector<std::string>& args);
int run_admin(const std::vector<std::string>& args);
int run_hook(const std::vector<std::string>& args);

}  // namespace wharf::cli
