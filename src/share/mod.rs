//! Share links: workbench state ⇄ URL fragment (versioned, deflate + base64url), bounded on decode.
