// The profile of a user or an organization: its repos of each type (private ones only for
// those who may see them), an organization's members or a user's organizations, and the
// repos a user likes.
#include "hub/discovery.h"
#include "hub/likes.h"
#include "hub/orgs.h"
#include "web/pages.h"
#include "web/repo_list.h"

namespace wharf::web {
namespace {

constexpr std::size_t kReposPerType = 12;
constexpr int64_t kLikesShown = 12;

std::string display_name(const storage::UserRow& u) {
  return u.fullname.empty() ? u.name : u.fullname;
}

int64_t count_of(const storage::RepoCounts& n, hub::RepoType type) {
  switch (type) {
    case hub::RepoType::Model:
      return n.models;
    case hub::RepoType::Dataset:
      return n.datasets;
    case hub::RepoType::Space:
      return n.spaces;
  }
  return 0;
}

// A section per repo type: the most recently updated repos of `ns`, and a link to the
// listing of all of them when there are more.
Result<mstch::array> repo_sections(PageCall& c, const std::string& ns) {
  auto counts = WHARF_TRY(hub::visible_repo_counts(c.hub, c.who, ns));
  mstch::array out;
  for (auto type : {hub::RepoType::Model, hub::RepoType::Dataset, hub::RepoType::Space}) {
    hub::CatalogQuery q;
    q.type = type;
    q.author = ns;
    q.sort = hub::CatalogSort::LastModified;
    q.limit = kReposPerType;
    q.may_see_private = hub::private_repo_filter(c.hub, c.who);
    auto page = WHARF_TRY(c.hub.catalog().query(q));
    int64_t n = count_of(counts, type);
    out.push_back(mstch::map{
        {"title", std::string(type_title(type))},
        {"count", std::to_string(n)},
        {"repos", repo_list_items(c, page.items)},
        {"has_repos", !page.items.empty()},
        {"more", !page.next_cursor.empty()},
        {"see_all_href",
         c.base + listing_path(type, "author=" + percent_encode(ns) + "&sort=modified")}});
  }
  return out;
}

mstch::array people(const PageCall& c, const std::vector<storage::MemberRow>& rows,
                    bool with_roles) {
  mstch::array out;
  for (const auto& m : rows) {
    mstch::map item{{"name", m.user.name},
                    {"display", display_name(m.user)},
                    {"href", c.base + "/" + percent_encode(m.user.name)}};
    if (with_roles) item["role"] = m.role;
    out.push_back(std::move(item));
  }
  return out;
}

Result<mstch::array> liked_repos(PageCall& c, const storage::UserRow& user) {
  auto likes = WHARF_TRY(hub::list_user_likes(c.hub, c.who, user.name, 0, kLikesShown));
  std::vector<hub::CatalogEntry> repos;
  for (const auto& l : likes.likes) repos.push_back(hub::catalog_entry(l.repo));
  return repo_list_items(c, repos);
}

}  // namespace

Result<http::Response> profile_page(PageCall& c, const std::string& name) {
  auto account = WHARF_TRY(c.hub.db().find_user(name));
  if (!account) return fail(errors::not_found("There is no user or organization named " + name));
  const auto& a = *account;
  mstch::map ctx{{"title", display_name(a)},
                 {"hide_title", true},
                 {"wide", true},
                 {"profile_name", a.name},
                 {"profile_display", display_name(a)},
                 {"is_org", a.is_org},
                 {"sections", WHARF_TRY(repo_sections(c, a.name))}};
  if (a.is_org) {
    bool roles = WHARF_TRY(hub::may_see_roles(c.hub, c.who, a));
    auto members = people(c, WHARF_TRY(c.hub.db().list_members(a.id)), roles);
    ctx["has_members"] = !members.empty();
    ctx["members"] = members;
  } else {
    auto orgs = people(c, WHARF_TRY(c.hub.db().orgs_of(a.id)), false);
    ctx["has_orgs"] = !orgs.empty();
    ctx["orgs"] = orgs;
    auto liked = WHARF_TRY(liked_repos(c, a));
    ctx["has_likes"] = !liked.empty();
    ctx["liked"] = mstch::map{{"repos", liked}};  // a context for templates/repo_list
    ctx["is_self"] = c.who.user && c.who.user->id == a.id;
  }
  return render_page(c, "profile", ctx);
}

}  // namespace wharf::web
