// The Hub's listing parameters (spec §6), shared by GET /api/models|datasets|spaces and the
// web's listing pages so that a URL filters the same way in both: `search`, `author`,
// `filter`, the convenience filters (`language`, `license`, `dataset`, `task_categories`,
// `pipeline_tag`, `library`), `gated`, `sort`, `direction`, `limit`, `cursor`. And the
// groups the tag catalogues sort a tag into (GET /api/models-tags-by-type, the web's facets).
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "hub/catalog.h"
#include "util/encoding.h"

namespace wharf::hub {

// Parameters whose values are lists: a repeated key, or values separated by commas.
inline constexpr std::array<std::string_view, 5> kListingListParams = {
    "filter", "language", "license", "dataset", "task_categories"};

using SortParser = std::optional<CatalogSort> (*)(std::string_view);

// The catalog query of listing parameters `p` for `type`. `default_limit` applies without
// `limit`; larger limits are clamped to kMaxCatalogPage. `parse_sort` reads `sort` (the web
// accepts its own names too); without `sort` the query sorts by id. may_see_private is left
// unset (the caller knows who asks). Errors: BadRequest (400) for a bad limit, gated,
// direction or sort, more than 64 values of one parameter or kMaxCatalogFilters tags.
Result<CatalogQuery> parse_listing_query(const QueryParams& p, RepoType type,
                                         std::size_t default_limit,
                                         SortParser parse_sort = parse_catalog_sort);

// Where the tag catalogue puts `tag` of a repo of `type`: its group and the label shown.
// Models and Spaces: "pipeline_tag", "library", "language" (ISO 639-1 codes), "license",
// "dataset", "region", "arxiv", "doi" (those four labelled without their prefix), else
// "other". Datasets: the tag's prefix ("language", "license", "task_categories", ...) with
// the rest as label, and "other" for tags without a prefix.
struct TagGroup {
  std::string group;
  std::string label;
};
TagGroup tag_group(RepoType type, const std::string& tag);

}  // namespace wharf::hub
