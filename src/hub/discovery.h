// Keeps the in-memory catalog (hub/catalog) in step with the metadata store: the catalog is
// loaded from the repos table when the hub opens, and every service that changes what a
// listing shows of a repo (indexing a commit, settings, move, delete, likes, counters) calls
// sync_catalog afterwards.
#pragma once

#include <functional>

#include "hub/hub.h"
#include "hub/identity.h"

namespace wharf::hub {

// What the catalog holds of a repo row (tags parsed from their JSON text; bad JSON gives none).
CatalogEntry catalog_entry(const storage::RepoRow& row);

// Loads every repo row into hub.catalog().
Result<void> load_catalog(Hub& hub);

// Re-reads the row of `repo_id` into the catalog, or removes it when the row is gone.
// A database failure is logged: the catalog then lags until the repo's next change.
void sync_catalog(Hub& hub, int64_t repo_id);

}  // namespace wharf::hub

namespace wharf::hub {

// Which private repos `who` may see in a listing: the same rule as check_repo_access
// (Access::Read), with the caller's role per namespace looked up once per query. nullptr
// for anonymous callers (public repos only). Not thread-safe: one per query.
std::function<bool(const CatalogEntry&)> private_repo_filter(Hub& hub, const Identity& who);

}  // namespace wharf::hub
