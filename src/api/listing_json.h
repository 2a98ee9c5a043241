// The JSON of one repo in a listing (spec §6): which fields a query asks for (`full`,
// `cardData`, `config`, `expand`) and the item built from the catalog's entry.
#pragma once

#include <set>
#include <string>

#include "api/context.h"
#include "hub/catalog.h"

namespace wharf::api {

struct ListingFields {
  bool expand = false;            // `expand` given: exactly the listed fields (plus _id, id)
  std::set<std::string> wanted;   // with expand
  bool full = false;
  bool card_data = false;
  bool config = false;
};

Result<ListingFields> listing_fields(const QueryParams& q, hub::RepoType type);

// Reads git (siblings) and the database (cardData) only when those fields are asked for.
Result<nlohmann::json> listing_item(Call& c, const hub::CatalogEntry& e, const ListingFields& f);

}  // namespace wharf::api
