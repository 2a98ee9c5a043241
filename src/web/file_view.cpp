#include "web/file_view.h"
#include "web/human_format.h"

#include "util/encoding.h"
#include "util/repo_path.h"
#include "util/time.h"

namespace wharf::web {
namespace {

constexpr std::size_t kMaxRefsShown = 200;

bool is_full_sha(std::string_view rev) { return is_lower_hex(rev, 40); }

// The branches or tags (refs under `prefix`) as switcher entries.
mstch::array switcher_refs(const PageCall& c, const RepoView& v,
                           const std::vector<storage::RefInfo>& refs, std::string_view prefix,
                           std::string_view action, std::string_view path, bool& any_current) {
  mstch::array out;
  for (const auto& ref : refs) {
    if (!ref.name.starts_with(prefix) || out.size() >= kMaxRefsShown) continue;
    std::string name = ref.name.substr(prefix.size());
    bool current = !any_current && name == v.rev;
    any_current = any_current || current;
    out.push_back(mstch::map{{"name", name},
                             {"href", c.base + repo_path(v.repo.id, action, name, path)},
                             {"current", current}});
  }
  return out;
}

}  // namespace

mstch::map rev_switcher(const PageCall& c, const RepoView& v, std::string_view action,
                        std::string_view path) {
  auto refs = v.repo.git.list_refs();
  bool any_current = false;
  auto branches = switcher_refs(c, v, refs, "refs/heads/", action, path, any_current);
  auto tags = switcher_refs(c, v, refs, "refs/tags/", action, path, any_current);
  bool has_tags = !tags.empty();
  return mstch::map{{"label", is_full_sha(v.rev) ? v.rev.substr(0, 7) : v.rev},
                    {"branches", std::move(branches)},
                    {"tags", std::move(tags)},
                    {"has_tags", has_tags}};
}

mstch::array breadcrumbs(const PageCall& c, const RepoView& v, std::string_view path) {
  mstch::array out;
  out.push_back(mstch::map{
      {"name", v.repo.id.name},
      {"href", path.empty() ? std::string() : c.base + repo_path(v.repo.id, "tree", v.rev)},
      {"first", true}});
  std::size_t start = 0;
  while (start < path.size()) {
    std::size_t end = path.find('/', start);
    bool last = end == std::string_view::npos;
    if (last) end = path.size();
    out.push_back(mstch::map{
        {"name", std::string(path.substr(start, end - start))},
        {"href",
         last ? std::string() : c.base + repo_path(v.repo.id, "tree", v.rev, path.substr(0, end))},
        {"first", false}});
    start = end + 1;
  }
  return out;
}

mstch::map commit_summary(const PageCall& c, const hub::RepoId& id, const storage::CommitInfo& info,
                          int64_t now_ms) {
  std::string body;
  if (auto nl = info.message.find('\n'); nl != std::string::npos) {
    std::size_t start = info.message.find_first_not_of("\r\n", nl);
    if (start != std::string::npos) body = info.message.substr(start);
  }
  return mstch::map{{"sha", info.id},
                    {"short", info.id.substr(0, 7)},
                    {"title", info.title.empty() ? std::string("(no message)") : info.title},
                    {"message_body", body},
                    {"author", info.author.name},
                    {"date", human_date(info.author.time_ms)},
                    {"datetime", format_iso8601(info.author.time_ms)},
                    {"ago", human_ago(info.author.time_ms, now_ms)},
                    {"href", c.base + repo_path(id, "commit", info.id)}};
}

bool is_text(std::string_view bytes) {
  return bytes.find('\0') == std::string_view::npos && is_valid_utf8(bytes);
}

}  // namespace wharf::web
