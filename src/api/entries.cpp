#include "api/entries.h"

#include "util/time.h"

namespace wharf::api {

Result<std::optional<hub::LfsPointer>> lfs_pointer_of(const storage::GitRepo& git, const storage::TreeEntry& e) {
  if (e.type != storage::EntryType::File) return std::optional<hub::LfsPointer>();
  return hub::read_lfs_pointer(git, e.oid, e.size);
}

Result<nlohmann::json> entry_json(const storage::GitRepo& git, const storage::TreeEntry& e) {
  if (e.type == storage::EntryType::Directory)
    return nlohmann::json{{"type", "directory"}, {"oid", e.oid}, {"size", 0}, {"path", e.path}};
  nlohmann::json j = {{"type", "file"}, {"oid", e.oid}, {"size", e.size}, {"path", e.path}};
  if (auto p = WHARF_TRY(lfs_pointer_of(git, e))) {
    j["size"] = p->size;
    j["lfs"] = {{"oid", p->oid}, {"size", p->size}, {"pointerSize", e.size}};
  }
  return j;
}

nlohmann::json last_commit_json(const storage::CommitInfo& c) {
  return {{"id", c.id}, {"title", c.title}, {"date", format_iso8601(c.committer.time_ms)}};
}

}  // namespace wharf::api
