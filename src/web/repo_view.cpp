#include "web/repo_view.h"

#include "hub/pull_requests.h"
#include "util/encoding.h"
#include "web/human_format.h"

namespace wharf::web {
namespace {

bool allowed(PageCall& c, const storage::RepoRow& row, hub::Access access) {
  return hub::check_repo_access(c.hub, c.who, row, access).has_value();
}

Result<RepoView> view_of(PageCall& c, const PageRoute& r, hub::RepoHandle repo) {
  RepoView v{std::move(repo), {}, {}};
  v.rev = r.rev.empty() ? v.repo.git.default_branch() : r.rev;
  v.is_default_rev = r.rev.empty() || r.rev == v.repo.git.default_branch();
  v.commit = WHARF_TRY(v.repo.git.resolve_revision(v.rev));
  v.can_write = allowed(c, v.repo.row, hub::Access::Write);
  v.can_admin = allowed(c, v.repo.row, hub::Access::Admin);
  v.can_read_content = allowed(c, v.repo.row, hub::Access::Content);
  return v;
}

// The Community tab: the open discussions and pull requests (drafts too), and whether to
// show the tab at all (not when discussions are off and there are none).
void add_community(const PageCall& c, const RepoView& v, mstch::map& ctx) {
  auto& db = c.hub.db();
  auto open = db.count_discussions(v.repo.row.id, {-1, {"open", "draft"}, ""});
  bool shown = true;
  if (auto disabled = db.discussions_disabled(v.repo.row.id); disabled && *disabled) {
    auto all = db.count_discussions(v.repo.row.id, {});
    shown = all && *all > 0;
  }
  ctx["community_shown"] = shown;
  ctx["community_count"] = open ? human_count(*open) : std::string();
}

}  // namespace

Result<RepoView> open_repo_view(PageCall& c, const PageRoute& r, hub::Access access) {
  return view_of(c, r, WHARF_TRY(hub::open_repo(c.hub, c.who, r.repo, access)));
}

Result<RepoView> open_repo_view_for_commit(PageCall& c, const PageRoute& r) {
  return view_of(c, r, WHARF_TRY(hub::open_repo_for_commit(c.hub, c.who, r.repo, r.rev, false)));
}

bool may_commit_to(PageCall& c, const RepoView& v) {
  if (!c.who.session) return false;
  if (hub::pull_request_num(v.rev))
    return hub::open_repo_for_commit(c.hub, c.who, v.repo.id, v.rev, false).has_value();
  return v.can_write && v.repo.git.ref_target("refs/heads/" + v.rev).has_value();
}

mstch::map repo_context(const PageCall& c, const RepoView& v, std::string_view tab) {
  const auto& row = v.repo.row;
  const auto& id = v.repo.id;
  std::string path = repo_path(id);
  mstch::map ctx{
      {"title", id.full()},
      {"hide_title", true},
      {"wide", true},  // every repo page has the same width, so that the header never jumps
      {"repo_id", id.full()},
      {"repo_ns", id.ns},
      {"repo_name", id.name},
      {"repo_type", std::string(hub::type_name(id.type))},
      {"repo_path", path},
      {"repo_is_model", id.type == hub::RepoType::Model},
      {"repo_is_dataset", id.type == hub::RepoType::Dataset},
      {"repo_is_space", id.type == hub::RepoType::Space},
      {"repo_private", row.is_private},
      {"repo_gated", !row.gated.empty()},
      {"repo_gated_mode", row.gated},
      {"likes", human_count(row.likes)},
      {"downloads", human_count(row.downloads)},
      {"rev", v.rev},
      {"rev_encoded", percent_encode(v.rev)},
      {"commit", v.commit},
      {"commit_short", v.commit.substr(0, 7)},
      {"is_default_rev", v.is_default_rev},
      {"default_branch", v.repo.git.default_branch()},
      {"can_write", v.can_write},
      {"can_admin", v.can_admin},
      {"can_read_content", v.can_read_content},
      {"tab_card", tab == "card"},
      {"tab_files", tab == "files"},
      {"tab_commits", tab == "commits"},
      {"tab_settings", tab == "settings"},
      {"tab_access", tab == "access"},
      {"tab_community", tab == "community"},
  };
  add_community(c, v, ctx);
  // Like state: only signed-in users have one.
  bool liked = false;
  if (c.who.user) {
    auto l = c.hub.db().has_liked(c.who.user->id, row.id);
    liked = l && *l;
  }
  ctx["liked"] = liked;
  if (c.who.session) ctx["csrf"] = c.who.session->csrf;
  return ctx;
}

std::string public_origin(const PageCall& c) {
  if (!c.options.public_url.empty()) return url_origin(c.options.public_url);
  auto host = c.req.headers.get("Host");
  return "http://" + host.value_or("localhost");
}

}  // namespace wharf::web
