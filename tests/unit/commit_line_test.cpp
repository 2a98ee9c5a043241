#include "hub/commit_line.h"

#include <gtest/gtest.h>

namespace wharf::hub {
namespace {

const std::string kOid = "4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393";

template <typename T>
T parse_as(std::string_view line) {
  auto r = parse_commit_line(line);
  EXPECT_TRUE(r.has_value()) << line << " -> " << (r ? "" : r.error().message);
  if (!r) return T{};
  EXPECT_TRUE(std::holds_alternative<T>(*r)) << line;
  return std::holds_alternative<T>(*r) ? std::get<T>(*r) : T{};
}

std::string rejected(std::string_view line) {
  auto r = parse_commit_line(line);
  EXPECT_FALSE(r.has_value()) << line;
  if (r) return "";
  EXPECT_EQ(r.error().status, 400) << line;
  EXPECT_EQ(r.error().code, "BadRequest") << line;
  return r.error().message;
}

// ---- header ----

TEST(CommitLine, PythonHeaderWithParentCommit) {
  auto h = parse_as<CommitHeader>(
      R"({"key": "header", "value": {"summary": "Upload model", "description": "weights\nand config", "parentCommit": "0123456789abcdef0123456789abcdef01234567"}})");
  EXPECT_EQ(h.summary, "Upload model");
  EXPECT_EQ(h.description, "weights\nand config");
  EXPECT_EQ(h.parent_commit, "0123456789abcdef0123456789abcdef01234567");
}

TEST(CommitLine, JsHeaderWithoutDescriptionOrParent) {
  auto h = parse_as<CommitHeader>(R"({"key":"header","value":{"summary":"Add file"}})");
  EXPECT_EQ(h.summary, "Add file");
  EXPECT_EQ(h.description, "");
  EXPECT_EQ(h.parent_commit, "");
}

TEST(CommitLine, HeaderNullOptionalsCountAsAbsent) {
  auto h = parse_as<CommitHeader>(
      R"({"key":"header","value":{"summary":"s","description":null,"parentCommit":null}})");
  EXPECT_EQ(h.description, "");
  EXPECT_EQ(h.parent_commit, "");
}

TEST(CommitLine, HeaderAcceptsShortParentCommit) {
  EXPECT_EQ(
      parse_as<CommitHeader>(R"({"key":"header","value":{"summary":"s","parentCommit":"abcde"}})")
          .parent_commit,
      "abcde");
}

TEST(CommitLine, HeaderRejectsBadParentCommit) {
  for (std::string_view parent : {"abcd", "ABCDEF0123", "0123456789abcdef0123456789abcdef012345678",
                                  "main", "refs/heads/main"}) {
    std::string line =
        R"({"key":"header","value":{"summary":"s","parentCommit":")" + std::string(parent) + "\"}}";
    std::string msg = rejected(line);
    EXPECT_NE(msg.find("parentCommit"), std::string::npos) << msg;
  }
}

TEST(CommitLine, HeaderRequiresStringSummary) {
  EXPECT_NE(rejected(R"({"key":"header","value":{}})").find("summary"), std::string::npos);
  EXPECT_NE(rejected(R"({"key":"header","value":{"summary":42}})").find("summary"),
            std::string::npos);
  rejected(R"({"key":"header","value":{"summary":"s","description":["x"]}})");
  rejected(R"({"key":"header","value":{"summary":"s","parentCommit":12345}})");
}

// ---- file ----

TEST(CommitLine, FileDecodesBase64Content) {
  auto f = parse_as<FileLine>(
      R"({"key":"file","value":{"path":"config.json","content":"eyJhIjogMX0K","encoding":"base64"}})");
  EXPECT_EQ(f.path, "config.json");
  EXPECT_EQ(f.content, "{\"a\": 1}\n");
}

TEST(CommitLine, FileKeepsBinaryBytes) {
  auto f = parse_as<FileLine>(
      R"({"key":"file","value":{"path":"b.dat","content":"AP8A","encoding":"base64"}})");
  EXPECT_EQ(f.content, std::string("\x00\xff\x00", 3));
}

TEST(CommitLine, FileAcceptsUtf8Encoding) {
  auto f = parse_as<FileLine>(
      R"({"key":"file","value":{"path":"notes/été.md","content":"# Hi\nçà","encoding":"utf-8"}})");
  EXPECT_EQ(f.path, "notes/été.md");
  EXPECT_EQ(f.content, "# Hi\nçà");
}

TEST(CommitLine, FileAcceptsEmptyContent) {
  EXPECT_EQ(parse_as<FileLine>(
                R"({"key":"file","value":{"path":"empty","content":"","encoding":"base64"}})")
                .content,
            "");
}

TEST(CommitLine, FileRejectsBadBase64) {
  for (std::string_view content : {"not base64!", "Zg", "Zm9v\\nYmFy", "Zm9v YmFy", "Zh=="}) {
    std::string line = R"({"key":"file","value":{"path":"a.txt","content":")" +
                       std::string(content) + R"(","encoding":"base64"}})";
    EXPECT_NE(rejected(line).find("base64"), std::string::npos) << line;
  }
}

TEST(CommitLine, FileRejectsUnknownOrMissingEncoding) {
  EXPECT_NE(rejected(R"({"key":"file","value":{"path":"a","content":"","encoding":"hex"}})")
                .find("encoding"),
            std::string::npos);
  EXPECT_NE(rejected(R"({"key":"file","value":{"path":"a","content":""}})").find("encoding"),
            std::string::npos);
}

TEST(CommitLine, FileRejectsRenames) {
  std::string msg = rejected(
      R"({"key":"file","value":{"path":"b","oldPath":"a","content":"","encoding":"base64"}})");
  EXPECT_NE(msg.find("oldPath"), std::string::npos) << msg;
}

TEST(CommitLine, FileRejectsWrongTypes) {
  rejected(R"({"key":"file","value":{"path":7,"content":"","encoding":"base64"}})");
  rejected(R"({"key":"file","value":{"path":"a","content":null,"encoding":"base64"}})");
  rejected(R"({"key":"file","value":{"path":"a","content":"","encoding":true}})");
  rejected(R"({"key":"file","value":{"content":"","encoding":"base64"}})");
}

// ---- lfsFile ----

TEST(CommitLine, LfsFileWithSize) {
  auto f = parse_as<LfsFileLine>(
      R"({"key":"lfsFile","value":{"path":"model.safetensors","algo":"sha256","oid":")" + kOid +
      R"(","size":548105171}})");
  EXPECT_EQ(f.path, "model.safetensors");
  EXPECT_EQ(f.oid, kOid);
  EXPECT_EQ(f.size, 548105171u);
}

TEST(CommitLine, LfsFileCopyWithoutSizeOrAlgo) {
  auto f = parse_as<LfsFileLine>(R"({"key":"lfsFile","value":{"path":"copy.bin","oid":")" + kOid +
                                 R"("}})");
  EXPECT_EQ(f.size, std::nullopt);
}

TEST(CommitLine, LfsFileAcceptsZeroAndHugeSizes) {
  EXPECT_EQ(parse_as<LfsFileLine>(R"({"key":"lfsFile","value":{"path":"a","oid":")" + kOid +
                                  R"(","size":0}})")
                .size,
            0u);
  EXPECT_EQ(parse_as<LfsFileLine>(R"({"key":"lfsFile","value":{"path":"a","oid":")" + kOid +
                                  R"(","size":18446744073709551615}})")
                .size,
            UINT64_MAX);
}

TEST(CommitLine, LfsFileRejectsBadOid) {
  std::string upper = kOid;
  upper[0] = 'D';
  for (const std::string& oid :
       {upper, kOid.substr(1), kOid + "0", std::string("sha256:") + kOid}) {
    std::string msg =
        rejected(R"({"key":"lfsFile","value":{"path":"a","oid":")" + oid + R"(","size":1}})");
    EXPECT_NE(msg.find("oid"), std::string::npos) << msg;
  }
  rejected(R"({"key":"lfsFile","value":{"path":"a","size":1}})");
}

TEST(CommitLine, LfsFileRejectsOtherAlgo) {
  std::string msg =
      rejected(R"({"key":"lfsFile","value":{"path":"a","algo":"sha1","oid":")" + kOid + R"("}})");
  EXPECT_NE(msg.find("algo"), std::string::npos) << msg;
}

TEST(CommitLine, LfsFileRejectsSizeOfWrongType) {
  for (std::string_view size :
       {"-1", "1.5", "\"12\"", "true", "[1]", "1e30", "18446744073709551616"}) {
    std::string msg = rejected(R"({"key":"lfsFile","value":{"path":"a","oid":")" + kOid +
                               R"(","size":)" + std::string(size) + "}}");
    EXPECT_NE(msg.find("size"), std::string::npos) << size << ": " << msg;
  }
}

TEST(CommitLine, LfsFileRejectsRenames) {
  rejected(R"({"key":"lfsFile","value":{"path":"b","oldPath":"a","oid":")" + kOid + R"("}})");
}

// ---- deletions ----

TEST(CommitLine, DeletedFile) {
  EXPECT_EQ(
      parse_as<DeletedFileLine>(R"({"key":"deletedFile","value":{"path":"old/weights.bin"}})").path,
      "old/weights.bin");
}

TEST(CommitLine, DeletedFolderDropsTheTrailingSlash) {
  EXPECT_EQ(
      parse_as<DeletedFolderLine>(R"({"key":"deletedFolder","value":{"path":"checkpoints/"}})")
          .path,
      "checkpoints");
  EXPECT_EQ(parse_as<DeletedFolderLine>(R"({"key":"deletedFolder","value":{"path":"a/b"}})").path,
            "a/b");
}

TEST(CommitLine, DeletedFileWithTrailingSlashIsRefused) {
  rejected(R"({"key":"deletedFile","value":{"path":"dir/"}})");
  rejected(R"({"key":"deletedFolder","value":{"path":"/"}})");
}

// ---- paths ----

TEST(CommitLine, RefusesUnsafePathsOnEveryKind) {
  for (std::string_view path : {"../escape", "a/../../b", "/abs", ".git/config", "sub/.GIT/x",
                                ".cache/x", "a\\\\b", "a//b", ""}) {
    std::string p(path);
    std::string msg = rejected(R"({"key":"file","value":{"path":")" + p +
                               R"(","content":"","encoding":"base64"}})");
    EXPECT_NE(msg.find("path"), std::string::npos) << msg;
    rejected(R"({"key":"lfsFile","value":{"path":")" + p + R"(","oid":")" + kOid + R"("}})");
    rejected(R"({"key":"deletedFile","value":{"path":")" + p + R"("}})");
    rejected(R"({"key":"deletedFolder","value":{"path":")" + p + R"("}})");
  }
}

TEST(CommitLine, RefusesControlCharactersInPathsWithoutEchoingThem) {
  std::string msg = rejected(R"({"key":"deletedFile","value":{"path":"a\r\nX-Evil: 1"}})");
  EXPECT_EQ(msg.find('\n'), std::string::npos);
  rejected(R"({"key":"deletedFile","value":{"path":"a\u0000b"}})");
}

// ---- line shape ----

TEST(CommitLine, UnknownKeyIsNamed) {
  EXPECT_EQ(rejected(R"({"key":"copy","value":{"path":"a"}})"), "Unknown commit line key: copy");
  EXPECT_EQ(rejected(R"({"key":"Header","value":{"summary":"s"}})"),
            "Unknown commit line key: Header");
}

TEST(CommitLine, RejectsMalformedLines) {
  rejected("");
  rejected("not json");
  rejected(R"({"key":"header","value":{"summary":"s"})");  // truncated
  rejected(R"(["header", {"summary": "s"}])");
  rejected(R"("header")");
  rejected(R"({"value":{"summary":"s"}})");
  rejected(R"({"key":42,"value":{"summary":"s"}})");
  rejected(R"({"key":"header"})");
  rejected(R"({"key":"header","value":"summary"})");
  rejected(R"({"key":"deletedFile","value":null})");
  rejected(
      "{\"key\":\"file\",\"value\":{\"path\":\"a\",\"content\":\"\xff\",\"encoding\":\"utf-8\"}}");
}

TEST(CommitLine, IgnoresUnknownFieldsAndSurroundingWhitespace) {
  auto f = parse_as<DeletedFileLine>(
      " {\"key\":\"deletedFile\",\"value\":{\"path\":\"a\",\"extra\":1},\"x\":2}\r");
  EXPECT_EQ(f.path, "a");
}

}  // namespace
}  // namespace wharf::hub
