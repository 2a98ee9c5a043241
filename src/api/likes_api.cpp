// Likes (spec §13.1): POST|DELETE /api/{type}s/{id}/like, GET /api/{type}s/{id}/likers and
// GET /api/users/{u}/likes. The rules live in hub/likes.
#include "api/accounts_api.h"
#include "hub/likes.h"
#include "util/time.h"

namespace wharf::api {
namespace {

// Python before 0.24 reads /likers with one GET and no pagination: the default page is
// large enough for it to see every liker of all but the most liked repos.
constexpr int64_t kMaxLikesPage = 1000;
constexpr int64_t kMaxOffset = int64_t{1} << 40;

http::Response paged(const Call& c, nlohmann::json items, int64_t next_offset) {
  auto res = json_response(items);
  if (next_offset >= 0)
    res.headers.set("Link",
                    "<" + c.link_with("cursor", std::to_string(next_offset)) + ">; rel=\"next\"");
  return res;
}

}  // namespace

Result<http::Response> handle_like(Call& c) {
  const auto& m = c.req.method;
  if (m != "POST" && m != "DELETE") return method_not_allowed_here();
  int64_t likes = WHARF_TRY(hub::set_like(c.hub, c.who, c.route.repo, m == "POST"));
  return json_response({{"likes", likes}});
}

Result<http::Response> handle_likers(Call& c) {
  int64_t limit = WHARF_TRY(int_param(c, "limit", kMaxLikesPage, kMaxLikesPage));
  int64_t offset = WHARF_TRY(int_param(c, "cursor", 0, kMaxOffset, true));
  // One row more than the page tells whether a next page exists.
  auto rows = WHARF_TRY(hub::list_likers(c.hub, c.who, c.route.repo, offset, limit + 1));
  bool more = static_cast<int64_t>(rows.size()) > limit;
  if (more) rows.pop_back();
  nlohmann::json out = nlohmann::json::array();
  for (const auto& r : rows) {
    out.push_back({{"user", r.user.name},
                   {"fullname", r.user.fullname.empty() ? r.user.name : r.user.fullname},
                   {"avatarUrl", avatar_url(c, r.user.name)},
                   {"type", "user"},
                   {"isPro", false}});
  }
  return paged(c, std::move(out), more ? offset + limit : -1);
}

Result<http::Response> handle_user_likes(Call& c, const std::string& user) {
  if (c.req.method != "GET" && c.req.method != "HEAD") return method_not_allowed_here();
  int64_t limit = WHARF_TRY(int_param(c, "limit", kMaxLikesPage, kMaxLikesPage));
  int64_t offset = WHARF_TRY(int_param(c, "cursor", 0, kMaxOffset, true));
  auto page = WHARF_TRY(hub::list_user_likes(c.hub, c.who, user, offset, limit));
  nlohmann::json out = nlohmann::json::array();
  for (const auto& l : page.likes) {
    out.push_back({{"createdAt", format_iso8601(l.created_ms)},
                   {"repo", {{"name", l.repo.ns + "/" + l.repo.name}, {"type", l.repo.type}}}});
  }
  return paged(c, std::move(out), page.next_offset);
}

}  // namespace wharf::api
