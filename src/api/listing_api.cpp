// Listing and search (spec §6): GET /api/models, /api/datasets, /api/spaces, answered from
// the in-memory catalog (hub/catalog); and the tag catalogues GET /api/models-tags-by-type,
// /api/datasets-tags-by-type.
#include "api/context.h"
#include "api/listing_json.h"
#include "hub/discovery.h"
#include "hub/listing_query.h"

namespace wharf::api {
namespace {

constexpr std::size_t kDefaultPage = 1000;  // the Hub's page when the caller sets no limit

}  // namespace

Result<http::Response> handle_listing(Call& c) {
  auto q = WHARF_TRY(hub::parse_listing_query(c.query, c.route.repo.type, kDefaultPage));
  auto fields = WHARF_TRY(listing_fields(c.query, q.type));
  q.may_see_private = hub::private_repo_filter(c.hub, c.who);
  auto page = WHARF_TRY(c.hub.catalog().query(q));
  nlohmann::json out = nlohmann::json::array();
  for (const auto& e : page.items) out.push_back(WHARF_TRY(listing_item(c, e, fields)));
  auto res = json_response(out);
  if (!page.next_cursor.empty())
    res.headers.set("Link", "<" + c.link_with("cursor", page.next_cursor) + ">; rel=\"next\"");
  return res;
}

// {"pipeline_tag": [...], "library": [...], "language": [...], "license": [...], "dataset": [...],
//  "region", "arxiv", "doi", "other": [...]} for models, each entry {id, label, type, count}
// (the Hub's types); datasets group by their tag prefixes. Only tags of public repos count.
Result<http::Response> handle_tags_by_type(Call& c) {
  auto type = c.route.repo.type;
  auto counts = c.hub.catalog().tag_counts(type, "", 5000);
  nlohmann::json out = nlohmann::json::object();
  for (const auto& t : counts) {
    auto g = hub::tag_group(type, t.tag);
    out[g.group].push_back(
        {{"id", t.tag}, {"label", g.label}, {"type", g.group}, {"count", t.count}});
  }
  return json_response(out);
}

}  // namespace wharf::api
