// Lists of repos as the listing, home and profile pages show them
// (templates/repo_list.mustache): each repo's name linking to its page, what it is for (a
// model's task, a dataset's first task category, a Space's SDK), when it was updated, its
// downloads and likes, and whether it is private or gated.
#pragma once

#include <mstch/mstch.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "hub/catalog.h"
#include "web/page_call.h"

namespace wharf::web {

// The "repos" of templates/repo_list.mustache.
mstch::array repo_list_items(const PageCall& c, const std::vector<hub::CatalogEntry>& repos);

// The local path of the listing of `type` with the encoded query `query` ("" for none):
// "/models?search=bert".
std::string listing_path(hub::RepoType type, std::string_view query = "");

// The Hub's page names of the repo types, for headings: "Models", "Datasets", "Spaces".
std::string_view type_title(hub::RepoType type);

}  // namespace wharf::web
