#include "hub/front_matter.h"

#include <gtest/gtest.h>

#include <chrono>

namespace wharf::hub {
namespace {

using nlohmann::json;

json parse_ok(std::string_view yaml, bool require_mapping = true) {
  auto r = parse_yaml(yaml, require_mapping);
  EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
  return r ? *r : json();
}

std::string parse_error(std::string_view yaml, const YamlLimits& limits = {}) {
  auto r = parse_yaml(yaml, true, limits);
  EXPECT_FALSE(r.has_value()) << yaml;
  if (r) return "";
  EXPECT_EQ(r.error().status, 400);
  EXPECT_EQ(r.error().code, "BadRequest");
  return r.error().message;
}

// ---- split_front_matter ----

TEST(SplitFrontMatter, ExtractsTheBlockBetweenFences) {
  auto s = split_front_matter("---\nlicense: mit\n---\n# Title\n");
  EXPECT_TRUE(s.present);
  EXPECT_EQ(s.yaml, "license: mit\n");
}

TEST(SplitFrontMatter, NoLeadingFenceMeansNoFrontMatter) {
  EXPECT_FALSE(split_front_matter("# Title\n---\nlicense: mit\n---\n").present);
  EXPECT_FALSE(split_front_matter("").present);
  EXPECT_FALSE(split_front_matter("--- \n").present);
  EXPECT_FALSE(split_front_matter("----\nx: 1\n----\n").present);
}

TEST(SplitFrontMatter, UnclosedBlockMeansNoFrontMatter) {
  auto s = split_front_matter("---\nlicense: mit\n# Title\n");
  EXPECT_FALSE(s.present);
  EXPECT_EQ(s.yaml, "");
}

TEST(SplitFrontMatter, ToleratesCrlfAndTrailingSpacesOnFences) {
  auto s = split_front_matter("--- \r\nlicense: mit\r\ntags:\r\n- a\r\n---  \r\nbody\r\n");
  EXPECT_TRUE(s.present);
  EXPECT_EQ(s.yaml, "license: mit\r\ntags:\r\n- a\r\n");
}

TEST(SplitFrontMatter, ClosingFenceMayEndTheFile) {
  auto s = split_front_matter("---\nlicense: mit\n---");
  EXPECT_TRUE(s.present);
  EXPECT_EQ(s.yaml, "license: mit\n");
}

TEST(SplitFrontMatter, EmptyBlockIsPresentAndEmpty) {
  auto s = split_front_matter("---\n---\ntext");
  EXPECT_TRUE(s.present);
  EXPECT_EQ(s.yaml, "");
}

TEST(SplitFrontMatter, SkipsAUtf8ByteOrderMark) {
  auto s = split_front_matter("\xEF\xBB\xBF---\nlicense: mit\n---\n");
  EXPECT_TRUE(s.present);
  EXPECT_EQ(s.yaml, "license: mit\n");
}

TEST(SplitFrontMatter, IndentedDashesDoNotClose) {
  auto s = split_front_matter("---\ntext: |\n  ---\n  more\n---\n");
  EXPECT_TRUE(s.present);
  EXPECT_EQ(s.yaml, "text: |\n  ---\n  more\n");
}

// ---- real-world cards ----

TEST(CardData, ModelCardWithLicenseTagsDatasetsAndModelIndex) {
  const char* readme = R"(---
language:
- en
- fr
license: apache-2.0
library_name: transformers
tags:
- text-classification
- generated_from_trainer
datasets:
- imdb
- glue
metrics:
- accuracy
base_model: distilbert-base-uncased
pipeline_tag: text-classification
model-index:
- name: distilbert-imdb
  results:
  - task:
      type: text-classification
      name: Text Classification
    dataset:
      name: imdb
      type: imdb
      config: plain_text
      split: test
      args: plain_text
    metrics:
    - type: accuracy
      value: 0.9316
      name: Accuracy
      verified: false
---

# distilbert-imdb

This model is a fine-tuned version of distilbert.
)";
  auto r = parse_card_data(readme);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  const json& d = *r;
  EXPECT_EQ(d["license"], "apache-2.0");
  EXPECT_EQ(d["language"], json::array({"en", "fr"}));
  EXPECT_EQ(d["tags"], json::array({"text-classification", "generated_from_trainer"}));
  EXPECT_EQ(d["datasets"], json::array({"imdb", "glue"}));
  EXPECT_EQ(d["pipeline_tag"], "text-classification");
  const json& result = d["model-index"][0]["results"][0];
  EXPECT_EQ(d["model-index"][0]["name"], "distilbert-imdb");
  EXPECT_EQ(result["task"]["type"], "text-classification");
  EXPECT_EQ(result["dataset"]["split"], "test");
  EXPECT_DOUBLE_EQ(result["metrics"][0]["value"].get<double>(), 0.9316);
  EXPECT_EQ(result["metrics"][0]["verified"], false);
}

TEST(CardData, DatasetCardWithConfigsAndFeatures) {
  const char* readme =
      "---\n"
      "annotations_creators:\n- expert-generated\n"
      "size_categories:\n- 10K<n<100K\n"
      "task_categories: [text-classification, question-answering]\n"
      "configs:\n"
      "- config_name: default\n"
      "  data_files:\n"
      "  - split: train\n"
      "    path: \"data/train-*\"\n"
      "dataset_info:\n"
      "  features:\n"
      "  - name: label\n"
      "    dtype:\n"
      "      class_label:\n"
      "        names:\n"
      "          '0': neg\n"
      "          '1': pos\n"
      "  splits:\n"
      "  - name: train\n"
      "    num_bytes: 33432835\n"
      "    num_examples: 25000\n"
      "  download_size: 0x10\n"
      "---\n";
  auto r = parse_card_data(readme);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  const json& d = *r;
  EXPECT_EQ(d["size_categories"][0], "10K<n<100K");
  EXPECT_EQ(d["task_categories"], json::array({"text-classification", "question-answering"}));
  EXPECT_EQ(d["configs"][0]["data_files"][0]["path"], "data/train-*");
  EXPECT_EQ(d["dataset_info"]["features"][0]["dtype"]["class_label"]["names"]["1"], "pos");
  EXPECT_EQ(d["dataset_info"]["splits"][0]["num_bytes"], 33432835);
  EXPECT_EQ(d["dataset_info"]["download_size"], 16);
}

TEST(CardData, CrlfCardParses) {
  auto r = parse_card_data("---\r\nlicense: mit\r\ntags:\r\n  - a\r\n  - b\r\n---\r\n# T\r\n");
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(*r, json({{"license", "mit"}, {"tags", {"a", "b"}}}));
}

TEST(CardData, NoFrontMatterGivesEmptyObject) {
  auto r = parse_card_data("# Just a title\n\nSome text.\n");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(*r, json::object());
}

TEST(CardData, EmptyFrontMatterGivesEmptyObject) {
  auto r = parse_card_data("---\n---\n# T\n");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(*r, json::object());
  r = parse_card_data("---\n# only a comment\n---\n");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(*r, json::object());
}

TEST(CardData, ErrorLinesCountFromTheReadmeStart) {
  // The bad line is line 3 of the YAML and line 4 of the README.
  auto r = parse_card_data("---\nlicense: mit\ntags:\n- a\n  b: [\n---\n");
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("Invalid YAML in README.md metadata: "), std::string::npos);
  EXPECT_NE(r.error().message.find("at line 5"), std::string::npos) << r.error().message;
}

// ---- scalar typing (YAML 1.2 core schema) ----

TEST(YamlScalars, NullSpellings) {
  json d = parse_ok("a: null\nb: Null\nc: NULL\nd: ~\ne:\nf: 'null'\n");
  EXPECT_TRUE(d["a"].is_null());
  EXPECT_TRUE(d["b"].is_null());
  EXPECT_TRUE(d["c"].is_null());
  EXPECT_TRUE(d["d"].is_null());
  EXPECT_TRUE(d["e"].is_null());
  EXPECT_EQ(d["f"], "null");
}

TEST(YamlScalars, BooleansAreOnlyTrueAndFalse) {
  json d = parse_ok("a: true\nb: True\nc: TRUE\nd: false\ne: FALSE\nf: yes\ng: off\nh: \"true\"\n");
  EXPECT_EQ(d["a"], true);
  EXPECT_EQ(d["b"], true);
  EXPECT_EQ(d["c"], true);
  EXPECT_EQ(d["d"], false);
  EXPECT_EQ(d["e"], false);
  EXPECT_EQ(d["f"], "yes");  // YAML 1.1 booleans are strings in 1.2
  EXPECT_EQ(d["g"], "off");
  EXPECT_EQ(d["h"], "true");
}

TEST(YamlScalars, Integers) {
  json d = parse_ok("a: 42\nb: -7\nc: +3\nd: 0o17\ne: 0xFF\nf: 007\ng: '42'\nh: 1_000\n");
  EXPECT_EQ(d["a"], 42);
  EXPECT_TRUE(d["a"].is_number_integer());
  EXPECT_EQ(d["b"], -7);
  EXPECT_EQ(d["c"], 3);
  EXPECT_EQ(d["d"], 15);
  EXPECT_EQ(d["e"], 255);
  EXPECT_EQ(d["f"], 7);
  EXPECT_EQ(d["g"], "42");
  EXPECT_EQ(d["h"], "1_000");
}

TEST(YamlScalars, OutOfRangeIntegersDegradeWithoutOverflow) {
  json d = parse_ok(
      "a: 18446744073709551615\n"
      "b: 18446744073709551616\n"
      "c: -9223372036854775809\n"
      "d: 0x1FFFFFFFFFFFFFFFF\n");
  EXPECT_EQ(d["a"].get<uint64_t>(), UINT64_MAX);
  EXPECT_TRUE(d["b"].is_number_float());
  EXPECT_DOUBLE_EQ(d["b"].get<double>(), 18446744073709551616.0);
  EXPECT_TRUE(d["c"].is_number_float());
  EXPECT_EQ(d["d"], "0x1FFFFFFFFFFFFFFFF");
}

TEST(YamlScalars, FloatsAndNonFiniteAsStrings) {
  json d =
      parse_ok("a: 1.5\nb: -.5\nc: 1e3\nd: 2.5E-2\ne: .inf\nf: -.Inf\ng: .nan\nh: 1e999\ni: 1.\n");
  EXPECT_DOUBLE_EQ(d["a"].get<double>(), 1.5);
  EXPECT_DOUBLE_EQ(d["b"].get<double>(), -0.5);
  EXPECT_DOUBLE_EQ(d["c"].get<double>(), 1000.0);
  EXPECT_DOUBLE_EQ(d["d"].get<double>(), 0.025);
  EXPECT_EQ(d["e"], ".inf");
  EXPECT_EQ(d["f"], "-.Inf");
  EXPECT_EQ(d["g"], ".nan");
  EXPECT_EQ(d["h"], "1e999");
  EXPECT_DOUBLE_EQ(d["i"].get<double>(), 1.0);
  EXPECT_NO_THROW((void)d.dump());
}

TEST(YamlScalars, QuotedAndBlockScalarsStayStrings) {
  json d = parse_ok("a: \"1.5\"\nb: '~'\nc: |\n  12\nd: >-\n  true\ne: !!str 3\n");
  EXPECT_EQ(d["a"], "1.5");
  EXPECT_EQ(d["b"], "~");
  EXPECT_EQ(d["c"], "12\n");
  EXPECT_EQ(d["d"], "true");
  EXPECT_EQ(d["e"], "3");
}

TEST(YamlScalars, UnicodeAndEscapesSurvive) {
  json d = parse_ok("title: \"caf\\u00e9 \\U0001F917\"\nname: 日本語\n");
  EXPECT_EQ(d["title"], "caf\xC3\xA9 \xF0\x9F\xA4\x97");
  EXPECT_EQ(d["name"], "日本語");
}

// ---- structure ----

TEST(YamlStructure, KeysAreStoredAsStrings) {
  json d = parse_ok("1: one\ntrue: yes\nnull: x\n1.5: y\n");
  EXPECT_EQ(d["1"], "one");
  EXPECT_EQ(d["true"], "yes");
  EXPECT_EQ(d["null"], "x");
  EXPECT_EQ(d["1.5"], "y");
}

TEST(YamlStructure, DuplicateKeysLastWins) {
  EXPECT_EQ(parse_ok("license: mit\nlicense: apache-2.0\n"), json({{"license", "apache-2.0"}}));
}

TEST(YamlStructure, NonScalarKeyIsRefused) {
  std::string msg = parse_error("? [a, b]\n: value\n");
  EXPECT_NE(msg.find("key"), std::string::npos) << msg;
  msg = parse_error("{a: 1}: value\n");
  EXPECT_NE(msg.find("key"), std::string::npos) << msg;
}

TEST(YamlStructure, AnchorsAndAliasesExpand) {
  json d = parse_ok(
      "defaults: &defaults\n"
      "  lr: 0.001\n"
      "  epochs: 3\n"
      "name: &n model\n"
      "runs:\n"
      "- *defaults\n"
      "- *defaults\n"
      "alias_name: *n\n"
      "*n : key-from-alias\n");
  json defaults = {{"lr", 0.001}, {"epochs", 3}};
  EXPECT_EQ(d["defaults"], defaults);
  EXPECT_EQ(d["runs"], json::array({defaults, defaults}));
  EXPECT_EQ(d["alias_name"], "model");
  EXPECT_EQ(d["model"], "key-from-alias");
}

TEST(YamlStructure, UnknownAliasIsRefused) {
  std::string msg = parse_error("a: *missing\n");
  EXPECT_NE(msg.find("missing"), std::string::npos) << msg;
}

TEST(YamlStructure, SelfReferencingAliasIsRefused) { parse_error("a: &x [1, *x]\n"); }

TEST(YamlStructure, TopLevelMustBeAMappingWhenRequired) {
  std::string msg = parse_error("- a\n- b\n");
  EXPECT_NE(msg.find("mapping"), std::string::npos) << msg;
  parse_error("just a string\n");
  EXPECT_EQ(parse_ok("- a\n- b\n", false), json::array({"a", "b"}));
  EXPECT_EQ(parse_ok("42", false), 42);
}

TEST(YamlStructure, EmptyInputIsAnEmptyMappingOrNull) {
  EXPECT_EQ(parse_ok(""), json::object());
  EXPECT_EQ(parse_ok("# comment only\n"), json::object());
  EXPECT_EQ(parse_ok("~\n"), json::object());
  EXPECT_TRUE(parse_ok("", false).is_null());
}

TEST(YamlStructure, OnlyTheFirstDocumentIsUsed) {
  EXPECT_EQ(parse_ok("a: 1\n---\nb: 2\n"), json({{"a", 1}}));
  EXPECT_EQ(parse_ok("--- \na: 1\n...\n--- [unclosed\n"), json({{"a", 1}}));
}

// ---- hostile input ----

TEST(YamlLimits, BillionLaughsIsRefusedQuickly) {
  const char* bomb =
      "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
      "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
      "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
      "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
      "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
      "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
      "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
      "h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
      "i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n";
  auto start = std::chrono::steady_clock::now();
  std::string msg = parse_error(bomb);
  auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_NE(msg.find("nodes"), std::string::npos) << msg;
  EXPECT_NE(msg.find("at line 6"), std::string::npos) << msg;  // 9^6 passes the 200000 budget
  EXPECT_LT(elapsed, std::chrono::seconds(2));
}

TEST(YamlLimits, NodeBudgetCountsPlainNodesToo) {
  YamlLimits tight;
  tight.max_nodes = 10;
  std::string msg = parse_error("a: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\n", tight);
  EXPECT_NE(msg.find("nodes"), std::string::npos) << msg;
  EXPECT_TRUE(parse_yaml("a: [1, 2, 3, 4, 5, 6, 7]\n", true, tight).has_value());
}

TEST(YamlLimits, LongStringAliasedManyTimesIsRefused) {
  // 100 KB once, then 100 aliases: 10 MB expanded from a 100 KB document.
  std::string yaml = "a: &a \"" + std::string(100000, 'x') + "\"\nb: [";
  for (int i = 0; i < 100; ++i) yaml += "*a, ";
  yaml += "*a]\n";
  std::string msg = parse_error(yaml);
  EXPECT_NE(msg.find("bytes of scalars"), std::string::npos) << msg;
  EXPECT_NE(msg.find("at line 2"), std::string::npos) << msg;
}

TEST(YamlLimits, NestedAnchorsPayForTheCopiesTheyKeep) {
  YamlLimits tight;
  tight.max_nodes = 20;
  // 7 nodes built; the anchors keep copies of 4, 5 and 6 more.
  std::string msg = parse_error("a: &a [&b [&c [1, 2, 3]]]\n", tight);
  EXPECT_NE(msg.find("nodes"), std::string::npos) << msg;
  EXPECT_TRUE(parse_yaml("a: [[[1, 2, 3]]]\n", true, tight).has_value());
}

TEST(YamlLimits, ThousandDeepFlowNestingIsRefused) {
  std::string deep = "a: " + std::string(1000, '[') + std::string(1000, ']') + "\n";
  std::string msg = parse_error(deep);
  EXPECT_NE(msg.find("nesting deeper than 64"), std::string::npos) << msg;
  std::string deep_maps;
  for (int i = 0; i < 1000; ++i) deep_maps += "{k: ";
  deep_maps += "1" + std::string(1000, '}') + "\n";
  parse_error(deep_maps);
}

TEST(YamlLimits, ThousandDeepBlockNestingIsRefused) {
  std::string deep;
  for (int i = 0; i < 1000; ++i) deep += std::string(i, ' ') + "k:\n";
  std::string msg = parse_error(deep);
  EXPECT_NE(msg.find("nesting deeper than 64"), std::string::npos) << msg;
  EXPECT_NE(msg.find("at line 65"), std::string::npos) << msg;  // where the 65th mapping starts
}

TEST(YamlLimits, DepthAtTheLimitIsAccepted) {
  std::string ok = std::string(63, '[') + std::string(63, ']');
  EXPECT_TRUE(parse_yaml("a: " + ok + "\n").has_value());
  std::string too_deep = std::string(64, '[') + std::string(64, ']');
  EXPECT_FALSE(parse_yaml("a: " + too_deep + "\n").has_value());
}

TEST(YamlLimits, AliasCannotStackDepthPastTheLimit) {
  std::string inner = std::string(40, '[') + std::string(40, ']');
  std::string yaml =
      "a: &deep " + inner + "\nb: " + std::string(30, '[') + "*deep" + std::string(30, ']') + "\n";
  std::string msg = parse_error(yaml);
  EXPECT_NE(msg.find("nesting"), std::string::npos) << msg;
}

TEST(YamlLimits, OversizedInputIsRefused) {
  YamlLimits small;
  small.max_bytes = 16;
  std::string msg = parse_error("license: apache-2.0\n", small);
  EXPECT_NE(msg.find("larger than 16 bytes"), std::string::npos) << msg;
}

// ---- malformed input ----

TEST(YamlErrors, MalformedYamlNamesProblemAndLine) {
  std::string msg = parse_error("license: mit\ntags: [a, b\nother: x\n");
  EXPECT_EQ(msg.rfind("Invalid YAML in README.md metadata: ", 0), 0u) << msg;
  EXPECT_NE(msg.find(" at line "), std::string::npos) << msg;
  msg = parse_error("a: 1\nb: 2\n  c: 3\n");
  EXPECT_NE(msg.find("at line 3"), std::string::npos) << msg;
}

TEST(YamlErrors, TabIndentationIsRefused) { parse_error("a:\n\t- b\n"); }

TEST(YamlErrors, NonUtf8IsRefusedWithItsLine) {
  std::string msg = parse_error("license: mit\ntitle: caf\xe9\n");
  EXPECT_NE(msg.find("at line 2"), std::string::npos) << msg;
  parse_error("a: \xed\xa0\x80\n");  // encoded surrogate
  parse_error("a: \xc0\xaf\n");      // overlong
}

TEST(YamlErrors, NulByteIsRefused) { parse_error(std::string("a: b\0c\n", 7)); }

}  // namespace
}  // namespace wharf::hub
