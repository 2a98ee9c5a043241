// RouteKind::Accounts (organizations, users, tokens, audit log). TEMPORARY until issue 4's
// account endpoints land; replaced by orgs_api.cpp, tokens_api.cpp and audit_api.cpp.
#include "api/context.h"

namespace wharf::api {

Result<http::Response> handle_accounts(Call&) { return fail(errors::not_found("Unknown API route")); }

}  // namespace wharf::api
