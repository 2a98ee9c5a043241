// The home page: what wharf is and how to point the Hub's clients at it, then the trending
// models, datasets and Spaces.
#include <algorithm>
#include <cctype>
#include <set>

#include "web/pages.h"
#include "web/repo_list.h"
#include "web/repo_view.h"

namespace wharf::web {
namespace {

constexpr std::size_t kTrending = 10;

// The Hub's order for "trending": the trending score, then likes, then downloads.
bool more_trending(const hub::CatalogEntry& a, const hub::CatalogEntry& b) {
  if (a.trending_score != b.trending_score) return a.trending_score > b.trending_score;
  if (a.likes != b.likes) return a.likes > b.likes;
  if (a.downloads != b.downloads) return a.downloads > b.downloads;
  return a.id > b.id;
}

// The top public repos of `type` in more_trending's order. The catalog sorts on one key, so
// this merges its top lists by trending score, likes and downloads: a repo in the top by
// (score, likes, downloads) is in the top of one of them, except for ties on a key at the
// lists' end, which only a young hub with many zero counters has.
Result<std::vector<hub::CatalogEntry>> trending(PageCall& c, hub::RepoType type) {
  std::vector<hub::CatalogEntry> out;
  std::set<int64_t> seen;
  for (auto sort :
       {hub::CatalogSort::Trending, hub::CatalogSort::Likes, hub::CatalogSort::Downloads}) {
    hub::CatalogQuery q;
    q.type = type;
    q.sort = sort;
    q.limit = kTrending;
    for (auto& e : WHARF_TRY(c.hub.catalog().query(q)).items)
      if (seen.insert(e.id).second) out.push_back(std::move(e));
  }
  std::sort(out.begin(), out.end(), more_trending);
  if (out.size() > kTrending) out.resize(kTrending);
  return out;
}

}  // namespace

Result<http::Response> home_page(PageCall& c) {
  mstch::array columns;
  for (auto type : {hub::RepoType::Model, hub::RepoType::Dataset, hub::RepoType::Space}) {
    auto repos = WHARF_TRY(trending(c, type));
    std::string title(type_title(type));
    // "Trending models", "Trending datasets", but "Trending Spaces" (a name, as on the Hub).
    if (type != hub::RepoType::Space)
      title[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(title[0])));
    columns.push_back(mstch::map{{"title", "Trending " + title},
                                 {"type_title", std::string(type_title(type))},
                                 {"see_all_href", c.base + listing_path(type, "sort=trending")},
                                 {"repos", repo_list_items(c, repos)},
                                 {"has_repos", !repos.empty()}});
  }
  mstch::map ctx{{"title", std::string("Home")},
                 {"hide_title", true},
                 {"wide", true},
                 {"endpoint", public_origin(c) + c.base},
                 {"columns", columns}};
  return render_page(c, "home", ctx);
}

}  // namespace wharf::web
