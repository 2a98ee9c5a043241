#include "web/human_format.h"
#include "web/repo_list.h"

#include "util/time.h"
#include "web/page_route.h"
#include "web/repo_view.h"

namespace wharf::web {
namespace {

// "1 like", "12 likes", "1.2k likes".
std::string counted(int64_t n, std::string_view noun) {
  return human_count(n) + " " + std::string(noun) + (n == 1 ? "" : "s");
}

// What the repo is for: a model's task, a dataset's first task category, a Space's SDK.
std::string kind_of(const hub::CatalogEntry& e) {
  if (e.type == hub::RepoType::Space) return e.sdk;
  if (e.type == hub::RepoType::Model) return e.pipeline_tag;
  constexpr std::string_view prefix = "task_categories:";
  for (const auto& t : e.tags)
    if (t.starts_with(prefix)) return t.substr(prefix.size());
  return "";
}

}  // namespace

mstch::array repo_list_items(const PageCall& c, const std::vector<hub::CatalogEntry>& repos) {
  int64_t now = now_ms();
  mstch::array out;
  for (const auto& e : repos) {
    hub::RepoId id{e.type, e.ns, e.name};
    std::string kind = kind_of(e);
    out.push_back(mstch::map{{"id", id.full()},
                             {"href", c.base + repo_path(id)},
                             {"kind", kind},
                             {"updated", human_ago(e.last_modified_ms, now)},
                             {"updated_date", human_date(e.last_modified_ms)},
                             {"downloads", counted(e.downloads, "download")},
                             {"likes", counted(e.likes, "like")},
                             {"is_private", e.is_private},
                             {"is_gated", !e.gated.empty()}});
  }
  return out;
}

std::string listing_path(hub::RepoType type, std::string_view query) {
  std::string path = "/" + std::string(hub::type_plural(type));
  if (!query.empty()) path += "?" + std::string(query);
  return path;
}

std::string_view type_title(hub::RepoType type) {
  switch (type) {
    case hub::RepoType::Model:
      return "Models";
    case hub::RepoType::Dataset:
      return "Datasets";
    case hub::RepoType::Space:
      return "Spaces";
  }
  return "Repositories";
}

}  // namespace wharf::web
