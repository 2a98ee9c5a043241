// `wharf admin user …` beyond `user create` (issue 4 adds disable, enable, delete, list,
// set-password, tier). TEMPORARY: no sub-command yet.
#include "cli/admin.h"

namespace wharf::cli {

int run_admin_users(Environment&, const std::vector<std::string>&) { return -1; }

}  // namespace wharf::cli
