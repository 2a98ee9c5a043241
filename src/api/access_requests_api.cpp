// Gated repos: access requests. TEMPORARY until issue 4's gating endpoints land.
#include "api/context.h"

namespace wharf::api {

Result<http::Response> handle_access_requests(Call&) { return fail(errors::not_found("Unknown API route")); }
Result<http::Response> handle_ask_access(Call&) { return fail(errors::not_found("Unknown API route")); }

}  // namespace wharf::api
