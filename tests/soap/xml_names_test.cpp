// Namespace resolution: the declaration stack a walk keeps, indexed past a few dozen declarations.
#include "soap/xml_names.hpp"

#include <gtest/gtest.h>

#include <string>

namespace outbound::soap::detail {
namespace {

constexpr std::string_view xml_ns = "http://www.w3.org/XML/1998/namespace";

// An element <r> with `n` declarations xmlns:pK='urn:K' and one child per prefix.
std::string many_declarations(int n, const std::string& extra = "") {
  std::string attrs, children;
  for (int i = 0; i < n; ++i) {
    attrs += " xmlns:p" + std::to_string(i) + "='urn:" + std::to_string(i) + "'";
    children += "<p" + std::to_string(i) + ":c/>";
  }
  return "<r" + attrs + extra + ">" + children + "<q:c/><c/></r>";
}

// What a walk entering each child resolves is what climbing the ancestors does, on either side of
// the stack's index.
TEST(namespace_scope, agrees_with_climbing_the_ancestors_below_and_above_the_index) {
  for (int n : {2, 16, 31, 32, 33, 200}) {
    pugi::xml_document doc;
    const std::string xml = many_declarations(n, " xmlns:q='' xmlns='urn:default' xmlns:p0='x'");
    ASSERT_TRUE(doc.load_buffer(xml.data(), xml.size()));
    namespace_scope scope;
    const auto root = doc.first_child();
    scope.enter(root);
    int i = 0;
    for (auto c = root.first_child(); c; c = c.next_sibling(), ++i) {
      SCOPED_TRACE(std::string(c.name()) + " n=" + std::to_string(n));
      const namespace_scope::entered in(scope, c);
      const auto [prefix, local] = split_name(c.name());
      const auto walked = scope.resolve_name(c.name());
      EXPECT_EQ(walked.uri, resolve_prefix(c, prefix));
      EXPECT_EQ(walked.local, local);
      if (i < n) {
        EXPECT_EQ(walked.uri, "urn:" + std::to_string(i));  // the first p0 wins
      }
    }
    EXPECT_EQ(scope.resolve("q"), std::nullopt);  // xmlns:q='' declares nothing
    EXPECT_EQ(scope.resolve(""), "urn:default");
    EXPECT_EQ(scope.resolve("xml"), xml_ns);
    EXPECT_EQ(scope.resolve("undeclared"), std::nullopt);
  }
}

// Leaving an element restores what its ancestors declared, the prefixes it shadowed included,
// whether the stack is scanned or indexed.
TEST(namespace_scope, leaving_an_element_restores_the_outer_declarations) {
  for (int n : {1, 40}) {
    SCOPED_TRACE(n);
    std::string
        inner;  // n declarations on <b>, p0 and the default namespace shadowed, q undeclared
    for (int i = 0; i < n; ++i)
      inner += " xmlns:p" + std::to_string(i) + "='urn:inner" + std::to_string(i) + "'";
    const std::string xml = "<a xmlns:p0='urn:outer' xmlns='urn:d' xmlns:q='urn:q'><b" + inner +
                            " xmlns='' xmlns:q=''><c xmlns:xml='urn:not-xml'/></b></a>";
    pugi::xml_document doc;
    ASSERT_TRUE(doc.load_buffer(xml.data(), xml.size()));
    namespace_scope scope;
    const auto a = doc.first_child();
    scope.enter(a);
    {
      const auto b = a.first_child();
      const namespace_scope::entered in(scope, b);
      EXPECT_EQ(scope.resolve("p0"), "urn:inner0");
      EXPECT_EQ(scope.resolve(""), "");  // xmlns="": no namespace
      EXPECT_EQ(scope.resolve("q"), std::nullopt);
      const namespace_scope::entered in_c(scope, b.first_child());
      EXPECT_EQ(scope.resolve("xml"), xml_ns);  // the xml prefix is bound for good
    }
    EXPECT_EQ(scope.resolve("p0"), "urn:outer");
    EXPECT_EQ(scope.resolve(""), "urn:d");
    EXPECT_EQ(scope.resolve("q"), "urn:q");
    EXPECT_EQ(scope.resolve("p1"), std::nullopt);
  }
}

// Attributes named like declarations but not ones declare nothing.
TEST(namespace_scope, only_xmlns_and_xmlns_colon_prefix_declare) {
  const std::string xml = "<a xmlnsx='urn:1' xmlns:='urn:2' x:xmlns='urn:3' xmln='urn:4'/>";
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_buffer(xml.data(), xml.size()));
  namespace_scope scope;
  scope.enter(doc.first_child());
  EXPECT_EQ(scope.resolve(""), "");
  EXPECT_EQ(scope.resolve("x"), std::nullopt);
}

// 20,000 prefixes on one element took seconds per lookup pass before (each lookup scanned them
// all); through the index, resolving every child is linear.
TEST(namespace_scope, resolves_every_child_of_a_heavily_declared_element) {
  pugi::xml_document doc;
  const std::string xml = many_declarations(20'000);
  ASSERT_TRUE(doc.load_buffer(xml.data(), xml.size()));
  namespace_scope scope;
  scope.enter(doc.first_child());
  int resolved = 0;
  for (auto c = doc.first_child().first_child(); c; c = c.next_sibling()) {
    const namespace_scope::entered in(scope, c);
    if (scope.resolve_name(c.name()).uri) ++resolved;
  }
  EXPECT_EQ(resolved, 20'001);  // all but q:c
}

}  // namespace
}  // namespace outbound::soap::detail
