#include "web/repo_view.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "util/encoding.h"

namespace wharf::web {
namespace {

bool allowed(PageCall& c, const storage::RepoRow& row, hub::Access access) {
  return hub::check_repo_access(c.hub, c.who, row, access).has_value();
}

}  // namespace

Result<RepoView> open_repo_view(PageCall& c, const PageRoute& r, hub::Access access) {
  auto repo = WHARF_TRY(hub::open_repo(c.hub, c.who, r.repo, access));
  RepoView v{std::move(repo), {}, {}};
  v.rev = r.rev.empty() ? v.repo.git.default_branch() : r.rev;
  v.is_default_rev = r.rev.empty() || r.rev == v.repo.git.default_branch();
  v.commit = WHARF_TRY(v.repo.git.resolve_revision(v.rev));
  v.can_write = allowed(c, v.repo.row, hub::Access::Write);
  v.can_admin = allowed(c, v.repo.row, hub::Access::Admin);
  v.can_read_content = allowed(c, v.repo.row, hub::Access::Content);
  return v;
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
  };
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

std::string human_size(uint64_t bytes) {
  static constexpr const char* units[] = {"Bytes", "kB", "MB", "GB", "TB", "PB"};
  if (bytes < 1000) return std::to_string(bytes) + " Bytes";
  double v = static_cast<double>(bytes);
  int u = 0;
  while (v >= 1000 && u < 5) {
    v /= 1000;
    ++u;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, v < 10 ? "%.2f %s" : (v < 100 ? "%.1f %s" : "%.0f %s"), v, units[u]);
  return buf;
}

std::string human_date(int64_t ms) {
  std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

std::string human_ago(int64_t ms, int64_t now_ms) {
  int64_t s = std::max<int64_t>(0, (now_ms - ms) / 1000);
  auto say = [](int64_t n, const char* unit) {
    return std::to_string(n) + " " + unit + (n == 1 ? "" : "s") + " ago";
  };
  if (s < 60) return "just now";
  if (s < 3600) return say(s / 60, "minute");
  if (s < 86400) return say(s / 3600, "hour");
  if (s < 86400 * 30) return say(s / 86400, "day");
  if (s < 86400 * 365) return say(s / (86400 * 30), "month");
  return say(s / (86400 * 365), "year");
}

std::string human_count(int64_t n) {
  char buf[32];
  if (n < 1000) return std::to_string(n);
  if (n < 1000000) {
    std::snprintf(buf, sizeof buf, n < 10000 ? "%.1fk" : "%.0fk", n / 1000.0);
    return buf;
  }
  std::snprintf(buf, sizeof buf, n < 10000000 ? "%.1fM" : "%.0fM", n / 1000000.0);
  return buf;
}

}  // namespace wharf::web
