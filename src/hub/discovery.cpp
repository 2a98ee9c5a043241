#include "hub/discovery.h"

#include <nlohmann/json.hpp>
#include <map>

#include "hub/access.h"

#include "util/log.h"
#include "util/time.h"

namespace wharf::hub {

CatalogEntry catalog_entry(const storage::RepoRow& row) {
  CatalogEntry e;
  e.id = row.id;
  e.type = parse_type(row.type).value_or(RepoType::Model);
  e.object_id = row.object_id;
  e.ns = row.ns;
  e.name = row.name;
  e.is_private = row.is_private;
  e.gated = row.gated;
  e.sdk = row.sdk;
  e.sha = row.sha;
  e.created_ms = row.created_ms;
  e.last_modified_ms = row.last_modified_ms;
  e.downloads = row.downloads;
  e.downloads_all_time = row.downloads_all_time;
  e.likes = row.likes;
  e.trending_score = row.trending_score;
  e.pipeline_tag = row.pipeline_tag;
  e.library_name = row.library_name;
  auto tags = nlohmann::json::parse(row.tags, nullptr, false);
  if (tags.is_array()) {
    e.tags.reserve(tags.size());
    for (const auto& t : tags)
      if (t.is_string()) e.tags.push_back(t.get<std::string>());
  }
  return e;
}

Result<void> load_catalog(Hub& hub) {
  auto started = now_ms();
  std::vector<CatalogEntry> entries;
  WHARF_TRY_VOID(hub.db().for_each_repo([&](const storage::RepoRow& row) { entries.push_back(catalog_entry(row)); }));
  std::size_t n = entries.size();
  hub.catalog().upsert_all(std::move(entries));
  if (n >= 10000)
    log::info("catalog: loaded " + std::to_string(n) + " repositories in " + std::to_string(now_ms() - started) + " ms");
  return {};
}

void sync_catalog(Hub& hub, int64_t repo_id) {
  auto row = hub.db().find_repo_by_id(repo_id);
  if (!row) {
    log::error("catalog: cannot read repo " + std::to_string(repo_id) + ": " + row.error().message);
    return;
  }
  if (!*row) {
    hub.catalog().remove(repo_id);
    return;
  }
  hub.catalog().upsert(catalog_entry(**row));
}

std::function<bool(const CatalogEntry&)> private_repo_filter(Hub& hub, const Identity& who) {
  if (!who.authenticated()) return nullptr;
  // Role per lowercase namespace: most private repos a caller sees sit in a few namespaces.
  auto roles = std::make_shared<std::map<std::string, bool>>();
  return [&hub, &who, roles](const CatalogEntry& e) {
    std::string key = e.ns;
    for (auto& ch : key) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    auto it = roles->find(key);
    if (it == roles->end()) {
      auto role = namespace_role(hub, who, e.ns);
      it = roles->emplace(key, role && *role != Role::None).first;
    }
    if (!it->second) return false;
    storage::RepoRow row;  // what check_repo_access reads of a repo for Access::Read
    row.id = e.id;
    row.type = std::string(type_name(e.type));
    row.ns = e.ns;
    row.name = e.name;
    row.is_private = e.is_private;
    row.gated = e.gated;
    return check_repo_access(hub, who, row, Access::Read).has_value();
  };
}

}  // namespace wharf::hub
