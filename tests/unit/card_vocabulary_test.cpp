#include "hub/card_vocabulary.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace wharf::hub {
namespace {

TEST(CardVocabulary, TablesAreSortedAndUniqueForBinarySearch) {
  for (auto table : {known_licenses(), known_pipeline_tags(), known_libraries()}) {
    EXPECT_TRUE(std::ranges::is_sorted(table));
    EXPECT_EQ(std::ranges::adjacent_find(table), table.end());
  }
}

TEST(CardVocabulary, KnowsTheHubLicenses) {
  for (auto id : {"apache-2.0", "mit", "openrail", "bigscience-openrail-m", "creativeml-openrail-m",
                  "llama2", "llama3", "llama3.1", "gemma", "cc-by-4.0", "cc-by-sa-4.0",
                  "cc-by-nc-4.0", "cc0-1.0", "openrail++", "afl-3.0", "zlib", "unknown", "other"})
    EXPECT_TRUE(is_known_license(id)) << id;
  EXPECT_GE(known_licenses().size(), 70u);
}

TEST(CardVocabulary, LicensesAreExactLowercaseIds) {
  EXPECT_FALSE(is_known_license("MIT"));
  EXPECT_FALSE(is_known_license("Apache 2.0"));
  EXPECT_FALSE(is_known_license("apache"));
  EXPECT_FALSE(is_known_license(""));
  EXPECT_FALSE(is_known_license("mit "));
}

TEST(CardVocabulary, KnowsPipelineTags) {
  for (auto t : {"text-classification", "text-generation", "fill-mask", "text2text-generation",
                 "automatic-speech-recognition", "image-text-to-text", "sentence-similarity",
                 "any-to-any", "zero-shot-object-detection", "other"})
    EXPECT_TRUE(is_known_pipeline_tag(t)) << t;
  EXPECT_FALSE(is_known_pipeline_tag("Text-Classification"));
  EXPECT_FALSE(is_known_pipeline_tag("sentiment-analysis"));  // a subtask, not a pipeline type
  EXPECT_FALSE(is_known_pipeline_tag("conversational"));      // retired by the Hub
}

TEST(CardVocabulary, KnowsCommonLibraries) {
  for (auto l : {"transformers", "diffusers", "peft", "sentence-transformers", "gguf", "timm",
                 "transformers.js"})
    EXPECT_TRUE(is_known_library(l)) << l;
  EXPECT_FALSE(is_known_library("Transformers"));
}

TEST(CardVocabulary, Iso639_1IsTwoLowercaseLetters) {
  EXPECT_TRUE(is_iso639_1("en"));
  EXPECT_TRUE(is_iso639_1("zh"));
  EXPECT_TRUE(is_iso639_1("zu"));
  EXPECT_TRUE(is_iso639_1("aa"));
  EXPECT_FALSE(is_iso639_1("xx"));
  EXPECT_FALSE(is_iso639_1("EN"));
  EXPECT_FALSE(is_iso639_1("eng"));
}

TEST(NormalizeLanguage, AcceptsIsoCodesAndNormalisesCase) {
  EXPECT_EQ(normalize_language("en"), "en");
  EXPECT_EQ(normalize_language("EN"), "en");
  EXPECT_EQ(normalize_language(" fr "), "fr");
  EXPECT_EQ(normalize_language("fra"), "fra");  // ISO 639-2/3: any three letters
  EXPECT_EQ(normalize_language("yue"), "yue");
  EXPECT_EQ(normalize_language("multilingual"), "multilingual");
}

TEST(NormalizeLanguage, AcceptsBcp47SubtagsInCanonicalCase) {
  EXPECT_EQ(normalize_language("en-us"), "en-US");
  EXPECT_EQ(normalize_language("zh-hans"), "zh-Hans");
  EXPECT_EQ(normalize_language("ZH-HANT-tw"), "zh-Hant-TW");
  EXPECT_EQ(normalize_language("es-419"), "es-419");
  EXPECT_EQ(normalize_language("sr-Latn-RS"), "sr-Latn-RS");
}

TEST(NormalizeLanguage, RejectsWhatIsNotALanguageCode) {
  for (auto bad : {"", "   ", "xx", "xx-YY", "english", "e", "en_US", "en-", "-en", "en--US",
                   "en-toolongsubtag", "12", "ab1", "en-U$", "français"})
    EXPECT_FALSE(normalize_language(bad).has_value()) << bad;
  EXPECT_FALSE(normalize_language(std::string(1000, 'a')).has_value());
}

}  // namespace
}  // namespace wharf::hub
