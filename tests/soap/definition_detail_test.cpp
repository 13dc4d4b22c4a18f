#include <gtest/gtest.h>

#include "soap/definition_detail.hpp"
#include "soap/ids.hpp"
#include "tests/soap/definition_test_util.hpp"

namespace outbound::soap {
namespace {

TEST(definition_detail, resolves_prefixes_through_ancestors_by_uri) {
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(
      "<a:root xmlns:a='urn:a' xmlns='urn:default'><child xmlns:b='urn:b'><b:leaf type='a:T'/>"
      "<plain/></child><other xmlns=''/></a:root>"));
  pugi::xml_node root = doc.document_element();
  pugi::xml_node child = root.child("child");
  EXPECT_EQ(defs::namespace_of(root), "urn:a");
  EXPECT_EQ(defs::namespace_of(child), "urn:default");
  EXPECT_EQ(defs::namespace_of(child.child("b:leaf")), "urn:b");
  EXPECT_EQ(defs::resolve_prefix(child.child("b:leaf"), "a:T"), "urn:a");
  EXPECT_EQ(defs::resolve_prefix(child, "c:T"), "");  // undeclared
  EXPECT_EQ(defs::namespace_of(root.child("other")), "");
  EXPECT_TRUE(defs::is_element(child.child("plain"), "urn:default", "plain"));
  EXPECT_FALSE(defs::is_element(child.child("plain"), "urn:a", "plain"));
  EXPECT_EQ(defs::children(root, "urn:default", "child").size(), 1u);
  EXPECT_EQ(defs::local_name("xsd:string"), "string");
  EXPECT_EQ(defs::local_name("string"), "string");
}

TEST(definition_detail, derives_missing_ids_and_normalises_given_ones) {
  definition d;
  d.full_name = "Notify_ERP";
  defs::complete_ids(d, "f", "/o", "/a");
  EXPECT_TRUE(is_valid_id(d.organization_id));
  EXPECT_EQ(d.organization_id.substr(0, 3), "00D");
  EXPECT_EQ(d.action_id.substr(0, 3), "04k");
  EXPECT_EQ(d.action_id.size(), 18u);
  definition given;
  given.organization_id = make_id("00D", 9).substr(0, 15);
  given.action_id = make_id("04k", 9);
  defs::complete_ids(given, "f", "/o", "/a");
  EXPECT_EQ(given.organization_id, make_id("00D", 9));
  definition wrong;
  wrong.organization_id = make_id("04k", 9);
  testing::expect_input_error([&] { defs::complete_ids(wrong, "f", "/o", "/a"); }, "f", "/o");
}

}  // namespace
}  // namespace outbound::soap
