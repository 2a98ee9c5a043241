// GET /api/whoami-v2 (spec §3).
#include "api/context.h"
#include "util/time.h"

namespace wharf::api {

Result<http::Response> handle_whoami(Call& c) {
  if (!c.who.authenticated()) return fail(errors::unauthorized("Invalid credentials in Authorization header"));
  const auto& u = *c.who.user;
  nlohmann::json token = {{"displayName", c.who.token ? c.who.token->name : ""},
                          {"role", c.who.token ? c.who.token->role : "write"},
                          {"createdAt", format_iso8601(c.who.token ? c.who.token->created_ms : u.created_ms)}};
  nlohmann::json body = {
      {"type", "user"},
      {"id", std::to_string(u.id)},
      {"name", u.name},
      {"fullname", u.fullname.empty() ? u.name : u.fullname},
      {"email", u.email.empty() ? nlohmann::json(nullptr) : nlohmann::json(u.email)},
      {"emailVerified", !u.email.empty()},
      {"isPro", false},
      {"canPay", false},
      {"avatarUrl", c.options.public_url + "/avatars/" + u.name},
      {"orgs", nlohmann::json::array()},
      {"auth", {{"type", "access_token"}, {"accessToken", token}}},
  };
  return json_response(body);
}

}  // namespace wharf::api
