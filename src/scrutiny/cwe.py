"""The CWE entries scrutiny's rules map to: id -> name. A meta-test checks every rule's CWE is here.

The table also names the weaknesses the optional LLM stage may report (authorization, logic and
race defects no pattern finds) and the ten CWE pillars its checklist is built from; a CWE the
model gives that is not here becomes `other` with a warning.
"""

from __future__ import annotations

from typing import Final

CWE_NAMES: Final[dict[int, str]] = {
    20: "Improper Input Validation",
    22: "Improper Limitation of a Pathname to a Restricted Directory ('Path Traversal')",
    74: "Improper Neutralization of Special Elements in Output Used by a Downstream Component ('Injection')",
    78: "Improper Neutralization of Special Elements used in an OS Command ('OS Command Injection')",
    79: "Improper Neutralization of Input During Web Page Generation ('Cross-site Scripting')",
    88: "Improper Neutralization of Argument Delimiters in a Command ('Argument Injection')",
    89: "Improper Neutralization of Special Elements used in an SQL Command ('SQL Injection')",
    90: "Improper Neutralization of Special Elements used in an LDAP Query ('LDAP Injection')",
    93: "Improper Neutralization of CRLF Sequences ('CRLF Injection')",
    94: "Improper Control of Generation of Code ('Code Injection')",
    95: "Improper Neutralization of Directives in Dynamically Evaluated Code ('Eval Injection')",
    113: "Improper Neutralization of CRLF Sequences in HTTP Headers ('HTTP Request/Response Splitting')",
    117: "Improper Output Neutralization for Logs",
    155: "Improper Neutralization of Wildcards or Matching Symbols",
    184: "Incomplete List of Disallowed Inputs",
    190: "Integer Overflow or Wraparound",
    200: "Exposure of Sensitive Information to an Unauthorized Actor",
    208: "Observable Timing Discrepancy",
    209: "Generation of Error Message Containing Sensitive Information",
    215: "Insertion of Sensitive Information Into Debugging Code",
    250: "Execution with Unnecessary Privileges",
    259: "Use of Hard-coded Password",
    269: "Improper Privilege Management",
    284: "Improper Access Control",
    285: "Improper Authorization",
    287: "Improper Authentication",
    295: "Improper Certificate Validation",
    306: "Missing Authentication for Critical Function",
    307: "Improper Restriction of Excessive Authentication Attempts",
    312: "Cleartext Storage of Sensitive Information",
    319: "Cleartext Transmission of Sensitive Information",
    326: "Inadequate Encryption Strength",
    327: "Use of a Broken or Risky Cryptographic Algorithm",
    328: "Use of Weak Hash",
    330: "Use of Insufficiently Random Values",
    338: "Use of Cryptographically Weak Pseudo-Random Number Generator (PRNG)",
    347: "Improper Verification of Cryptographic Signature",
    352: "Cross-Site Request Forgery (CSRF)",
    362: "Concurrent Execution using Shared Resource with Improper Synchronization ('Race Condition')",
    367: "Time-of-check Time-of-use (TOCTOU) Race Condition",
    369: "Divide By Zero",
    377: "Insecure Temporary File",
    378: "Creation of Temporary File With Insecure Permissions",
    379: "Creation of Temporary File in Directory with Insecure Permissions",
    384: "Session Fixation",
    390: "Detection of Error Condition Without Action",
    400: "Uncontrolled Resource Consumption",
    404: "Improper Resource Shutdown or Release",
    426: "Untrusted Search Path",
    434: "Unrestricted Upload of File with Dangerous Type",
    435: "Improper Interaction Between Multiple Correctly-Behaving Entities",
    489: "Active Debug Code",
    494: "Download of Code Without Integrity Check",
    502: "Deserialization of Untrusted Data",
    522: "Insufficiently Protected Credentials",
    532: "Insertion of Sensitive Information into Log File",
    601: "URL Redirection to Untrusted Site ('Open Redirect')",
    605: "Multiple Binds to the Same Port",
    611: "Improper Restriction of XML External Entity Reference",
    613: "Insufficient Session Expiration",
    614: "Sensitive Cookie in HTTPS Session Without 'Secure' Attribute",
    617: "Reachable Assertion",
    625: "Permissive Regular Expression",
    636: "Not Failing Securely ('Failing Open')",
    639: "Authorization Bypass Through User-Controlled Key",
    643: "Improper Neutralization of Data within XPath Expressions ('XPath Injection')",
    664: "Improper Control of a Resource Through its Lifetime",
    682: "Incorrect Calculation",
    691: "Insufficient Control Flow Management",
    693: "Protection Mechanism Failure",
    697: "Incorrect Comparison",
    703: "Improper Check or Handling of Exceptional Conditions",
    707: "Improper Neutralization",
    710: "Improper Adherence to Coding Standards",
    732: "Incorrect Permission Assignment for Critical Resource",
    754: "Improper Check for Unusual or Exceptional Conditions",
    755: "Improper Handling of Exceptional Conditions",
    770: "Allocation of Resources Without Limits or Throttling",
    776: "Improper Restriction of Recursive Entity References in DTDs ('XML Entity Expansion')",
    798: "Use of Hard-coded Credentials",
    829: "Inclusion of Functionality from Untrusted Control Sphere",
    835: "Loop with Unreachable Exit Condition ('Infinite Loop')",
    838: "Inappropriate Encoding for Output Context",
    862: "Missing Authorization",
    863: "Incorrect Authorization",
    915: "Improperly Controlled Modification of Dynamically-Determined Object Attributes",
    918: "Server-Side Request Forgery (SSRF)",
    939: "Improper Authorization in Handler for Custom URL Scheme",
    1004: "Sensitive Cookie Without 'HttpOnly' Flag",
    1104: "Use of Unmaintained Third Party Components",
    1188: "Initialization of a Resource with an Insecure Default",
    1204: "Generation of Weak Initialization Vector (IV)",
    1275: "Sensitive Cookie with Improper SameSite Attribute",
    1327: "Binding to an Unrestricted IP Address",
    1333: "Inefficient Regular Expression Complexity",
    1336: "Improper Neutralization of Special Elements Used in a Template Engine",
    1390: "Weak Authentication",
}


# The ten pillars of CWE's research view (CWE-1000): every weakness belongs under one of them.
PILLARS: Final[tuple[int, ...]] = (284, 435, 664, 682, 691, 693, 697, 703, 707, 710)


def name(cwe: int) -> str:
    return CWE_NAMES.get(cwe, "Other")


def url(cwe: int) -> str:
    return f"https://cwe.mitre.org/data/definitions/{cwe}.html"
