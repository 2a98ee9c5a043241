// RouteKind::Accounts: /api/organizations/..., /api/users/..., /api/settings/...,
// /api/audit-log. Splits the path and hands it to its family.
#include "api/accounts_api.h"

#include <charconv>

namespace wharf::api {

std::string avatar_url(const Call& c, const std::string& name) { return c.options.public_url + "/avatars/" + name; }

Result<int64_t> int_param(const Call& c, const char* key, int64_t fallback, int64_t max, bool allow_zero) {
  auto text = c.query.get(key);
  if (!text) return fallback;
  int64_t v = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
  if (ec != std::errc() || end != text->data() + text->size() || v < (allow_zero ? 0 : 1) || v > max)
    return fail(errors::bad_request(std::string("Invalid ") + key + " \"" + *text + "\": expected an integer from " +
                                    (allow_zero ? "0" : "1") + " to " + std::to_string(max)));
  return v;
}

Result<http::Response> method_not_allowed_here() {
  return fail(Error{405, "MethodNotAllowed", "Method not allowed on this route", {}, {}});
}

Result<http::Response> unknown_route() { return fail(errors::not_found("Unknown API route")); }

Result<http::Response> handle_accounts(Call& c) {
  if (c.route.bad_encoding) return fail(errors::bad_request("Invalid percent-encoding in the path"));
  Segments s;
  std::size_t start = 0;
  const auto& p = c.route.path;
  while (start <= p.size()) {
    auto slash = p.find('/', start);
    if (slash == std::string::npos) slash = p.size();
    s.push_back(p.substr(start, slash - start));
    start = slash + 1;
  }
  while (!s.empty() && s.back().empty()) s.pop_back();  // a trailing slash
  if (s.empty()) return unknown_route();
  if (s[0] == "audit-log" || (s[0] == "organizations" && s.size() == 3 && s[2] == "audit-log"))
    return handle_audit(c, s);
  if (s[0] == "organizations") return handle_orgs(c, s);
  if (s[0] == "users") return handle_users(c, s);
  if (s[0] == "settings" && s.size() >= 2 && s[1] == "tokens") return handle_tokens(c, s);
  return unknown_route();
}

}  // namespace wharf::api
