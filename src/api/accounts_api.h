// RouteKind::Accounts, split by family: accounts_api.cpp splits Route.path into segments and
// dispatches to orgs_api.cpp, tokens_api.cpp and audit_api.cpp.
#pragma once

#include <string>
#include <vector>

#include "api/context.h"

namespace wharf::api {

// Route.path split on '/': {"organizations", "acme", "members"}.
using Segments = std::vector<std::string>;

Result<http::Response> handle_orgs(Call& c, const Segments& s);      // organizations/...
Result<http::Response> handle_users(Call& c, const Segments& s);     // users/...
Result<http::Response> handle_tokens(Call& c, const Segments& s);    // settings/tokens...
Result<http::Response> handle_audit(Call& c, const Segments& s);     // audit-log, organizations/{o}/audit-log

// <public_url>/avatars/<name>
std::string avatar_url(const Call& c, const std::string& name);
// A positive integer query parameter: `fallback` when absent, BadRequest when not an integer
// in 1..max (or, with allow_zero, 0..max).
Result<int64_t> int_param(const Call& c, const char* key, int64_t fallback, int64_t max, bool allow_zero = false);

Result<http::Response> method_not_allowed_here();
Result<http::Response> unknown_route();

}  // namespace wharf::api
