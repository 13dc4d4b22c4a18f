// The WSDL Salesforce generates for an outbound message, line for line as in
// shared/reference/salesforce/Account.wsdl, with the definition's object, fields and endpoint.
#include "soap/wsdl.hpp"

#include "soap/definition_detail.hpp"

namespace outbound::soap {
namespace {

std::string escape_attribute(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      case '\n':
        out += "&#10;";
        break;
      case '\r':
        out += "&#13;";
        break;
      case '\t':
        out += "&#9;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

constexpr std::string_view head = R"(<?xml version="1.0" encoding="UTF-8"?>
<!--
Salesforce.com Outbound Notification Web Services API Version 1.0
)";

constexpr std::string_view definitions_open = R"(
Copyright 2005-2018 Salesforce.com, Inc.
All Rights Reserved
-->
<definitions targetNamespace="http://soap.sforce.com/2005/09/outbound"
             xmlns="http://schemas.xmlsoap.org/wsdl/"
             xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
             xmlns:tns="http://soap.sforce.com/2005/09/outbound"
             xmlns:xsd="http://www.w3.org/2001/XMLSchema"
             xmlns:ent="urn:enterprise.soap.sforce.com"
             xmlns:ens="urn:sobject.enterprise.soap.sforce.com">
    <types>

        <schema elementFormDefault="qualified" xmlns="http://www.w3.org/2001/XMLSchema"
                targetNamespace="urn:enterprise.soap.sforce.com">
            <!-- Our simple ID Type -->
            <simpleType name="ID">
                <restriction base="xsd:string">
                    <length value="18"/>
                    <pattern value='[a-zA-Z0-9]{18}'/>
                </restriction>
            </simpleType>
        </schema>

        <schema elementFormDefault="qualified" xmlns="http://www.w3.org/2001/XMLSchema"
                targetNamespace="urn:sobject.enterprise.soap.sforce.com">
            <import namespace="urn:enterprise.soap.sforce.com"/>
            <!-- Base sObject (abstract) -->
            <complexType name="sObject">
                <sequence>
                    <element name="fieldsToNull" type="xsd:string" nillable="true" minOccurs="0" maxOccurs="unbounded"/>
                    <element name="Id" type="ent:ID" nillable="true"/>
                </sequence>
            </complexType>

            <complexType name="AggregateResult">
                <complexContent>
                    <extension base="ens:sObject">
                        <sequence>
                            <any namespace="##targetNamespace" minOccurs="0" maxOccurs="unbounded"
                                 processContents="lax"/>
                        </sequence>
                    </extension>
                </complexContent>
            </complexType>

)";

constexpr std::string_view object_close = R"(                        </sequence>
                    </extension>
                </complexContent>
            </complexType>


        </schema>

        <schema elementFormDefault="qualified" xmlns="http://www.w3.org/2001/XMLSchema"
                targetNamespace="http://soap.sforce.com/2005/09/outbound">
            <import namespace="urn:enterprise.soap.sforce.com"/>
            <import namespace="urn:sobject.enterprise.soap.sforce.com"/>

            <element name="notifications">
                <complexType>
                    <sequence>
                        <element name="OrganizationId" type="ent:ID"/>
                        <element name="ActionId" type="ent:ID"/>
                        <element name="SessionId" type="xsd:string" nillable="true"/>
                        <element name="EnterpriseUrl" type="xsd:string"/>
                        <element name="PartnerUrl" type="xsd:string"/>
)";

constexpr std::string_view after_notification_type = R"(
            <element name="notificationsResponse">
                <complexType>
                    <sequence>
                        <element name="Ack" type="xsd:boolean"/>
                    </sequence>
                </complexType>
            </element>
        </schema>
    </types>


    <!-- Method Messages -->
    <message name="notificationsRequest">
        <part element="tns:notifications" name="request"/>
    </message>
    <message name="notificationsResponse">
        <part element="tns:notificationsResponse" name="response"/>
    </message>

    <!-- PortType -->
    <portType name="NotificationPort">
        <operation name="notifications">
            <documentation>Process a number of notifications.</documentation>
            <input message="tns:notificationsRequest"/>
            <output message="tns:notificationsResponse"/>
        </operation>
    </portType>

    <!-- Binding
         You need to write a service that implements this binding to receive the notifications
     -->
    <binding name="NotificationBinding" type="tns:NotificationPort">
        <soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>

        <operation name="notifications">
            <soap:operation soapAction=""/>
            <input>
                <soap:body use="literal"/>
            </input>
            <output>
                <soap:body use="literal"/>
            </output>
        </operation>
    </binding>

    <!-- Service Endpoint -->
    <service name="NotificationService">
        <documentation>Notification Service Implementation</documentation>
        <port binding="tns:NotificationBinding" name="Notification">
)";

}  // namespace

std::string write_wsdl(const definition& d) {
  const std::string object = escape_attribute(d.object);
  std::string out(head);
  // No date here: the same definition always gives the same bytes.
  out += "Generated by outbound";
  if (defs::is_api_name(d.full_name)) out += " for the outbound message " + d.full_name;
  out += ".\n";
  out += definitions_open;
  out += "            <complexType name=\"" + object + "\">\n";
  out += "                <complexContent>\n";
  out += "                    <extension base=\"ens:sObject\">\n";
  out += "                        <sequence>\n";
  for (const field& f : d.fields) {
    out += "                            <element name=\"" + escape_attribute(f.name) +
           "\" nillable=\"true\" minOccurs=\"0\" type=\"" + std::string(xsd_type(f.type)) +
           "\"/>\n";
  }
  out += object_close;
  out += "                        <element name=\"Notification\" maxOccurs=\"100\" type=\"tns:" +
         object + "Notification\"/>\n";
  out += "                    </sequence>\n";
  out += "                </complexType>\n";
  out += "            </element>\n\n";
  out += "            <complexType name=\"" + object + "Notification\">\n";
  out += "                <sequence>\n";
  out += "                    <element name=\"Id\" type=\"ent:ID\"/>\n";
  out += "                    <element name=\"sObject\" type=\"ens:" + object + "\"/>\n";
  out += "                </sequence>\n";
  out += "            </complexType>\n";
  out += after_notification_type;
  out += "            <soap:address location=\"" + escape_attribute(d.endpoint_url) + "\"/>\n";
  out += "        </port>\n";
  out += "    </service>\n\n";
  out += "</definitions>\n";
  return out;
}

}  // namespace outbound::soap
