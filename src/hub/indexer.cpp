#include "hub/indexer.h"

#include "hub/front_matter.h"
#include "hub/repos.h"
#include "util/log.h"

namespace wharf::hub {

std::string card_data_at(storage::GitRepo& git, const std::string& commit) {
  auto entry = git.stat(commit, "README.md");
  if (!entry || !*entry || (*entry)->type != storage::EntryType::File) return "";
  if ((*entry)->size > (1u << 20)) return "";
  auto text = git.read_blob((*entry)->oid);
  if (!text) return "";
  auto card = parse_card_data(*text);
  if (!card || card->empty()) return "";
  return card->dump();
}

Result<void> index_default_branch(Hub& hub, const storage::RepoRow& row, storage::GitRepo& git) {
  // Serialized per repo, and the head read under the lock: concurrent updates (a push and a
  // commit) end with the index at the newest head, never at an older one.
  auto lock_holder = hub.ref_mutex(row.id, "\x01index");
  std::lock_guard lock(*lock_holder);
  auto head = git.ref_target("refs/heads/" + git.default_branch());
  if (!head) return hub.db().update_repo_index(row.id, "", row.last_modified_ms, "");
  auto commit = WHARF_TRY(git.read_commit(*head));
  return hub.db().update_repo_index(row.id, *head, commit.committer.time_ms, card_data_at(git, *head));
}

std::size_t reindex_stale(Hub& hub) {
  auto rows = hub.db().list_repos();
  if (!rows) {
    log::error("reindex: " + rows.error().message);
    return 0;
  }
  std::size_t n = 0;
  for (const auto& row : *rows) {
    auto git = storage::GitRepo::open(hub.repo_path(id_of(row)));
    if (!git) continue;  // reported by repair_repo_dirs
    auto head = git->ref_target("refs/heads/" + git->default_branch());
    if (head.value_or("") == row.sha) continue;
    if (auto r = index_default_branch(hub, row, *git); !r) {
      log::error("reindex " + row.ns + "/" + row.name + ": " + r.error().message);
      continue;
    }
    ++n;
  }
  return n;
}

}  // namespace wharf::hub
