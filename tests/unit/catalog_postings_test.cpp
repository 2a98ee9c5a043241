#include "hub/catalog_postings.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>
#include <vector>

namespace wharf::hub::catalog {
namespace {

std::vector<uint32_t> all_of(const PostingList& l) {
  Intersection it({&l});
  std::vector<uint32_t> out(l.size() + 64);
  std::size_t n = 0;
  while (std::size_t k = it.next(out.data() + n, 64)) n += k;
  out.resize(n);
  return out;
}

TEST(CatalogPostings, AppendsInsertsAndErasesLikeASet) {
  PostingList l;
  std::set<uint32_t> want;
  const uint32_t universe = 1'000'000;  // sparse all along: blocks only
  for (uint32_t v = 0; v < 5000; ++v) {
    EXPECT_TRUE(l.insert(v * 7, universe));
    want.insert(v * 7);
  }
  EXPECT_FALSE(l.insert(7, universe));
  EXPECT_FALSE(l.insert(34993, universe));  // the last one
  for (uint32_t v = 1; v < 5000; v += 3) {  // into the middle of blocks, splitting them
    EXPECT_TRUE(l.insert(v * 7 + 1, universe));
    want.insert(v * 7 + 1);
  }
  for (uint32_t v = 0; v < 35000; v += 2)  // every other value, emptying and merging blocks
    EXPECT_EQ(l.erase(v, universe), want.erase(v) == 1) << v;
  EXPECT_FALSE(l.dense());
  EXPECT_EQ(l.size(), want.size());
  EXPECT_EQ(all_of(l), std::vector<uint32_t>(want.begin(), want.end()));
  for (uint32_t v = 0; v < 35010; ++v) ASSERT_EQ(l.contains(v), want.count(v) == 1) << v;
  for (uint32_t v = 0; v < 35010; ++v)  // thin blocks out until neighbours merge
    if (v % 29) {
      EXPECT_EQ(l.erase(v, universe), want.erase(v) == 1) << v;
    }
  EXPECT_EQ(l.size(), want.size());
  EXPECT_EQ(all_of(l), std::vector<uint32_t>(want.begin(), want.end()));
  for (uint32_t v = 0; v < 35010; ++v) ASSERT_EQ(l.contains(v), want.count(v) == 1) << v;
}

TEST(CatalogPostings, TurnsDenseAndBackWithTheUniverse) {
  PostingList l;
  for (uint32_t v = 0; v < 100; ++v) l.insert(v, 400);
  EXPECT_TRUE(l.dense());  // 100 of 400 (dense above 1/16)
  for (uint32_t v = 0; v < 100; ++v) ASSERT_TRUE(l.contains(v));
  EXPECT_FALSE(l.contains(100));
  EXPECT_FALSE(l.contains(100000));
  for (uint32_t v = 0; v < 90; ++v) l.erase(v, 400);
  EXPECT_TRUE(l.dense());  // 10 of 400: above the way down (1/64), no flip-flop
  for (uint32_t v = 90; v < 95; ++v) l.erase(v, 400);
  EXPECT_FALSE(l.dense());  // 5 of 400
  EXPECT_EQ(all_of(l), (std::vector<uint32_t>{95, 96, 97, 98, 99}));
  l.insert(5000, 100000);  // the universe grew: 6 of 100000 stays sparse
  EXPECT_FALSE(l.dense());
  EXPECT_EQ(l.size(), 6u);
}

TEST(CatalogPostings, CursorSeeksTheFirstValueNotBelowTheTarget) {
  for (uint32_t universe : {2000u, 100000u}) {  // dense, then sparse
    PostingList l;
    for (uint32_t v = 4; v < 2000; v += 4) l.insert(v, universe);
    ASSERT_EQ(l.dense(), universe == 2000u);
    PostingCursor c(l);
    EXPECT_EQ(c.seek(0), 4u);
    EXPECT_EQ(c.seek(4), 4u);
    EXPECT_EQ(c.seek(5), 8u);
    EXPECT_EQ(c.seek(1501), 1504u);  // skips whole blocks
    EXPECT_EQ(c.seek(1996), 1996u);
    EXPECT_EQ(c.seek(1997), kNoDoc);
  }
  PostingList gap;  // dense, with empty words between its values
  for (uint32_t v = 0; v < 40; ++v) gap.insert(v, 600);
  gap.insert(500, 600);
  ASSERT_TRUE(gap.dense());
  PostingCursor c(gap);
  EXPECT_EQ(c.seek(40), 500u);
  EXPECT_EQ(c.seek(501), kNoDoc);
}

TEST(CatalogPostings, IntersectionMatchesSetIntersectionForEveryShape) {
  std::mt19937 rng(7);
  for (int round = 0; round < 60; ++round) {
    const uint32_t universe = 20000;
    std::vector<PostingList> lists(1 + round % 4);
    std::vector<std::set<uint32_t>> sets(lists.size());
    for (std::size_t i = 0; i < lists.size(); ++i) {
      // Densities from 1/2000 to 1/2: both shapes, and mixes of them.
      uint32_t every = 2u << std::uniform_int_distribution<int>(0, 10)(rng);
      for (uint32_t v = 0; v < universe; ++v)
        if (rng() % every == 0) {
          lists[i].insert(v, universe);
          sets[i].insert(v);
        }
      if (lists[i].empty()) {
        lists[i].insert(1, universe);
        sets[i].insert(1);
      }
    }
    std::vector<uint32_t> want(sets[0].begin(), sets[0].end());
    for (std::size_t i = 1; i < sets.size(); ++i)
      std::erase_if(want, [&](uint32_t v) { return !sets[i].count(v); });
    std::vector<const PostingList*> ptrs;
    for (const auto& l : lists) ptrs.push_back(&l);
    Intersection it(ptrs);
    std::vector<uint32_t> got, batch(100);
    while (std::size_t n = it.next(batch.data(), batch.size()))
      got.insert(got.end(), batch.begin(), batch.begin() + static_cast<std::ptrdiff_t>(n));
    EXPECT_EQ(got, want) << "round " << round;
  }
}

TEST(CatalogPostings, RandomChangesMatchASet) {
  std::mt19937 rng(11);
  PostingList l;
  std::set<uint32_t> want;
  uint32_t universe = 64;
  for (int step = 0; step < 200000; ++step) {
    if (step % 50 == 0 && universe < 60000) universe += 64;  // documents keep coming
    uint32_t v = rng() % universe;
    // Phases of growth and shrinkage cross both thresholds many times.
    bool add = (step / 20000) % 2 == 0 ? rng() % 4 != 0 : rng() % 4 == 0;
    if (add)
      ASSERT_EQ(l.insert(v, universe), want.insert(v).second);
    else
      ASSERT_EQ(l.erase(v, universe), want.erase(v) == 1);
    ASSERT_EQ(l.size(), want.size());
  }
  EXPECT_EQ(all_of(l), std::vector<uint32_t>(want.begin(), want.end()));
}

}  // namespace
}  // namespace wharf::hub::catalog
