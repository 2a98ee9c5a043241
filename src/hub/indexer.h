// The metadata index (ARCHITECTURE decision 4): what the database records about a repo's
// default branch is derived from git, and rebuilt from git wherever the two disagree.
#pragma once

#include "hub/hub.h"

namespace wharf::hub {

// Reads the default branch head of `git` and records its sha, commit date and the README's
// card data in the row of `row.id`. A README whose front matter does not parse gives empty
// card data (the commit that wrote it was accepted by git; the index must not fail).
Result<void> index_default_branch(Hub& hub, const storage::RepoRow& row, storage::GitRepo& git);

// Re-indexes every repo whose recorded sha differs from its default branch head. Called at
// start-up, after a crash could have left the two apart. Returns how many were re-indexed.
std::size_t reindex_stale(Hub& hub);

// What the indexer derives at `commit` (tags, pipeline tag, library, config summary) for a
// repo of `type` ("model", "dataset", "space") whose card data is `card_text`.
storage::RepoDerived derive_at(storage::GitRepo& git, const std::string& commit, const std::string& type,
                               const std::string& card_text, const std::string& sdk);

// The card data (README front matter as a JSON object text, "" when none or invalid) at `commit`.
std::string card_data_at(storage::GitRepo& git, const std::string& commit);

}  // namespace wharf::hub
