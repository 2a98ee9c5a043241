// `wharf admin token …`, `org …` and `audit` (issue 4). TEMPORARY: no sub-command yet.
#include "cli/admin.h"

namespace wharf::cli {

int run_admin_accounts(Environment&, const std::vector<std::string>&) { return -1; }

}  // namespace wharf::cli
