// Organizations and profiles: POST /api/organizations/new, GET /api/organizations/{o}/overview,
// /api/organizations/{o}/members (GET, POST; PUT and DELETE on .../members/{user}) and
// GET /api/users/{u}/overview.
#include "api/accounts_api.h"
#include "hub/orgs.h"
#include "util/time.h"

namespace wharf::api {
namespace {

constexpr int64_t kMembersPage = 500;

std::string display_name(const storage::UserRow& u) { return u.fullname.empty() ? u.name : u.fullname; }

Result<http::Response> create_org(Call& c) {
  if (!c.who.authenticated()) return fail(errors::unauthorized("You must be authenticated to create an organization"));
  auto body = WHARF_TRY(read_json(c.req));
  auto name = WHARF_TRY(string_field(body, "name", true));
  auto fullname = WHARF_TRY(string_field(body, "fullname", false));
  auto org = WHARF_TRY(hub::create_org(c.hub, c.who, *c.who.user, name, fullname));
  return json_response({{"name", org.name}, {"fullname", display_name(org)}, {"url", c.options.public_url + "/" + org.name}});
}

nlohmann::json counts_json(const storage::RepoCounts& n) {
  return {{"numModels", n.models}, {"numDatasets", n.datasets}, {"numSpaces", n.spaces}};
}

Result<http::Response> org_overview(Call& c, const std::string& name) {
  auto org = WHARF_TRY(hub::find_org(c.hub, name));
  auto counts = WHARF_TRY(hub::visible_repo_counts(c.hub, c.who, org.name));
  nlohmann::json body = {{"_id", std::to_string(org.id)},
                         {"name", org.name},
                         {"fullname", display_name(org)},
                         {"avatarUrl", avatar_url(c, org.name)},
                         {"isVerified", false},
                         {"isFollowing", false},
                         {"numUsers", WHARF_TRY(c.hub.db().count_members(org.id))},
                         {"numFollowers", 0},
                         {"type", "org"},
                         {"createdAt", format_iso8601(org.created_ms)}};
  body.update(counts_json(counts));
  return json_response(body);
}

Result<http::Response> list_members(Call& c, const std::string& name) {
  auto org = WHARF_TRY(hub::find_org(c.hub, name));
  int64_t limit = WHARF_TRY(int_param(c, "limit", kMembersPage, kMembersPage));
  int64_t offset = WHARF_TRY(int_param(c, "cursor", 0, INT64_MAX, true));
  bool roles = WHARF_TRY(hub::may_see_roles(c.hub, c.who, org));
  auto members = WHARF_TRY(c.hub.db().list_members(org.id));
  nlohmann::json out = nlohmann::json::array();
  auto begin = std::min<std::size_t>(members.size(), static_cast<std::size_t>(offset));
  auto end = std::min<std::size_t>(members.size(), begin + static_cast<std::size_t>(limit));
  for (auto i = begin; i < end; ++i) {
    const auto& m = members[i];
    nlohmann::json j = {{"_id", std::to_string(m.user.id)}, {"user", m.user.name},   {"fullname", display_name(m.user)},
                        {"avatarUrl", avatar_url(c, m.user.name)}, {"type", "user"}, {"isPro", false}};
    if (roles) j["role"] = m.role;
    out.push_back(std::move(j));
  }
  auto res = json_response(out);
  if (end < members.size()) res.headers.set("Link", "<" + c.link_with("cursor", std::to_string(end)) + ">; rel=\"next\"");
  return res;
}

Result<http::Response> add_member(Call& c, const std::string& org) {
  auto body = WHARF_TRY(read_json(c.req));
  auto user = WHARF_TRY(string_field(body, "user", true));
  auto role = WHARF_TRY(string_field(body, "role", false, "read"));
  WHARF_TRY_VOID(hub::set_member(c.hub, c.who, org, user, role, hub::MemberChange::Add));
  return json_response({{"user", user}, {"role", role}});
}

Result<http::Response> change_member(Call& c, const std::string& org, const std::string& user) {
  auto body = WHARF_TRY(read_json(c.req));
  auto role = WHARF_TRY(string_field(body, "role", true));
  WHARF_TRY_VOID(hub::set_member(c.hub, c.who, org, user, role, hub::MemberChange::ChangeRole));
  return json_response({{"user", user}, {"role", role}});
}

Result<http::Response> user_overview(Call& c, const std::string& name) {
  auto user = WHARF_TRY(hub::find_account_user(c.hub, name));
  auto counts = WHARF_TRY(hub::visible_repo_counts(c.hub, c.who, user.name));
  nlohmann::json orgs = nlohmann::json::array();
  for (const auto& m : WHARF_TRY(c.hub.db().orgs_of(user.id)))
    orgs.push_back({{"name", m.user.name}, {"fullname", display_name(m.user)}, {"avatarUrl", avatar_url(c, m.user.name)}});
  nlohmann::json body = {{"_id", std::to_string(user.id)},
                         {"user", user.name},
                         {"fullname", display_name(user)},
                         {"avatarUrl", avatar_url(c, user.name)},
                         {"isPro", false},
                         {"type", "user"},
                         {"numLikes", 0},
                         {"numFollowers", 0},
                         {"numFollowing", 0},
                         {"orgs", orgs},
                         {"createdAt", format_iso8601(user.created_ms)}};
  body.update(counts_json(counts));
  return json_response(body);
}

}  // namespace

Result<http::Response> handle_orgs(Call& c, const Segments& s) {
  const auto& m = c.req.method;
  bool read = m == "GET" || m == "HEAD";
  if (s.size() == 2 && s[1] == "new") return m == "POST" ? create_org(c) : method_not_allowed_here();
  if (s.size() == 3 && s[2] == "overview") return read ? org_overview(c, s[1]) : method_not_allowed_here();
  if (s.size() == 3 && s[2] == "members") {
    if (read) return list_members(c, s[1]);
    return m == "POST" ? add_member(c, s[1]) : method_not_allowed_here();
  }
  if (s.size() == 4 && s[2] == "members") {
    if (m == "PUT") return change_member(c, s[1], s[3]);
    if (m == "DELETE") {
      WHARF_TRY_VOID(hub::remove_member(c.hub, c.who, s[1], s[3]));
      return json_response(nlohmann::json::object());
    }
    return method_not_allowed_here();
  }
  return unknown_route();
}

Result<http::Response> handle_users(Call& c, const Segments& s) {
  if (s.size() == 3 && s[2] == "overview")
    return c.req.method == "GET" || c.req.method == "HEAD" ? user_overview(c, s[1]) : method_not_allowed_here();
  if (s.size() == 3 && s[2] == "likes") return handle_user_likes(c, s[1]);
  return unknown_route();
}

}  // namespace wharf::api
