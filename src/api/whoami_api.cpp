// GET /api/whoami-v2 (spec §3): the caller, their organizations, and the credential used.
#include "api/accounts_api.h"
#include "util/time.h"

namespace wharf::api {
namespace {

// The Hub's fine-grained section: {"scoped": [{"entity": {"type", "name"}, "permissions"}]}
// where a namespace entity is typed "user" or "org".
Result<nlohmann::json> fine_grained_json(Call& c, const storage::TokenRow& token) {
  nlohmann::json scoped = nlohmann::json::array();
  for (const auto& s : token.scopes) {
    std::string type = s.entity_type;
    if (type == "namespace") {
      auto owner = WHARF_TRY(c.hub.db().find_user(s.entity));
      type = owner && owner->is_org ? "org" : "user";
    }
    scoped.push_back({{"entity", {{"type", type}, {"name", s.entity}}}, {"permissions", s.permissions}});
  }
  return nlohmann::json{{"canReadGatedRepos", false}, {"global", nlohmann::json::array()}, {"scoped", scoped}};
}

}  // namespace

Result<http::Response> handle_whoami(Call& c) {
  if (!c.who.authenticated()) return fail(errors::unauthorized("Invalid credentials in Authorization header"));
  const auto& u = *c.who.user;
  const auto& t = c.who.token;
  nlohmann::json token = {{"displayName", t ? t->name : ""},
                          {"role", t ? t->role : "write"},
                          {"createdAt", format_iso8601(t ? t->created_ms : u.created_ms)}};
  if (t && t->role == "fineGrained") token["fineGrained"] = WHARF_TRY(fine_grained_json(c, *t));
  nlohmann::json auth = {{"type", "access_token"}, {"accessToken", token}};
  if (t && t->expires_ms) auth["expiresAt"] = format_iso8601(t->expires_ms);
  nlohmann::json orgs = nlohmann::json::array();
  for (const auto& m : WHARF_TRY(c.hub.db().orgs_of(u.id)))
    orgs.push_back({{"type", "org"},
                    {"id", std::to_string(m.user.id)},
                    {"name", m.user.name},
                    {"fullname", m.user.fullname.empty() ? m.user.name : m.user.fullname},
                    {"email", nullptr},
                    {"canPay", false},
                    {"avatarUrl", avatar_url(c, m.user.name)},
                    {"periodEnd", nullptr},
                    {"roleInOrg", m.role}});
  nlohmann::json body = {
      {"type", "user"},
      {"id", std::to_string(u.id)},
      {"name", u.name},
      {"fullname", u.fullname.empty() ? u.name : u.fullname},
      {"email", u.email.empty() ? nlohmann::json(nullptr) : nlohmann::json(u.email)},
      {"emailVerified", !u.email.empty()},
      {"isPro", false},
      {"canPay", false},
      {"avatarUrl", avatar_url(c, u.name)},
      {"orgs", orgs},
      {"auth", auth},
  };
  return json_response(body);
}

}  // namespace wharf::api
