// JSON of tree entries, shared by tree, paths-info and info siblings (spec §5.2, §8).
#pragma once

#include <optional>

#include <nlohmann/json.hpp>

#include "hub/lfs_pointer.h"
#include "storage/gitstore.h"

namespace wharf::api {

// The LFS pointer a file entry holds, if it is one (only small blobs are read).
Result<std::optional<hub::LfsPointer>> lfs_pointer_of(const storage::GitRepo& git, const storage::TreeEntry& e);

// {"type","oid","size","path"[,"lfs":{"oid","size","pointerSize"}]} as /tree and /paths-info answer.
Result<nlohmann::json> entry_json(const storage::GitRepo& git, const storage::TreeEntry& e);

// {"id","title","date"} of a commit, for expand=true.
nlohmann::json last_commit_json(const storage::CommitInfo& c);

}  // namespace wharf::api
