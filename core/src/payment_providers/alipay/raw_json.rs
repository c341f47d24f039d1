//! Alipay signs the exact text of `<method>_response` inside its answer, so that text must be
//! cut out of the body as sent: parsing and re-serialising would change spacing, key order and
//! escapes. This finds a top-level member's value by walking the JSON, strings and nesting
//! included, rather than by searching for the name (which could also occur inside a value).

/// The raw text of the value of the top-level member `name` of the JSON object `json`. Whether
/// the whole of `json` is well formed is the caller's to check.
pub fn raw_member<'a>(json: &'a str, name: &str) -> Option<&'a str> {
    let bytes = json.as_bytes();
    let mut i = skip_ws(bytes, 0);
    if bytes.get(i) != Some(&b'{') {
        return None;
    }
    i += 1;
    loop {
        i = skip_ws(bytes, i);
        if bytes.get(i) != Some(&b'"') {
            return None;
        }
        let key_end = skip_string(bytes, i)?;
        let key = &json[i + 1..key_end - 1];
        i = skip_ws(bytes, key_end);
        if bytes.get(i) != Some(&b':') {
            return None;
        }
        let start = skip_ws(bytes, i + 1);
        let end = skip_value(bytes, start)?;
        if key == name {
            return Some(&json[start..end]);
        }
        i = skip_ws(bytes, end);
        match bytes.get(i) {
            Some(b',') => i += 1,
            _ => return None,
        }
    }
}

fn skip_ws(bytes: &[u8], mut i: usize) -> usize {
    while bytes.get(i).is_some_and(|b| b" \t\r\n".contains(b)) {
        i += 1;
    }
    i
}

/// From an opening quote to just past the closing one.
fn skip_string(bytes: &[u8], start: usize) -> Option<usize> {
    let mut i = start + 1;
    loop {
        match bytes.get(i)? {
            b'\\' => i += 2,
            b'"' => return Some(i + 1),
            _ => i += 1,
        }
    }
}

fn skip_value(bytes: &[u8], start: usize) -> Option<usize> {
    match bytes.get(start)? {
        b'"' => skip_string(bytes, start),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut i = start;
            loop {
                match bytes.get(i)? {
                    b'"' => {
                        i = skip_string(bytes, i)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(i + 1);
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
        }
        _ => {
            let mut i = start;
            while bytes.get(i).is_some_and(|b| !b",}] \t\r\n".contains(b)) {
                i += 1;
            }
            (i > start).then_some(i)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::raw_member;

    #[test]
    fn cuts_out_the_member_exactly_as_sent() {
        // The shape of the documented precreate answer, spacing kept.
        let body = r#"{"alipay_trade_precreate_response":{"code":"10000","msg":"Success","out_trade_no":"6823789339978248","qr_code":"https://qr.alipay.com/bavh4wjlxf12tper3a"},"sign":"ERITJKEIJKJHKKKKKKKHJEREEEEEEEEEEE"}"#;
        assert_eq!(
            raw_member(body, "alipay_trade_precreate_response"),
            Some(
                r#"{"code":"10000","msg":"Success","out_trade_no":"6823789339978248","qr_code":"https://qr.alipay.com/bavh4wjlxf12tper3a"}"#
            )
        );
        assert_eq!(raw_member(body, "sign"), Some(r#""ERITJKEIJKJHKKKKKKKHJEREEEEEEEEEEE""#));
        let spaced = "{ \"sign\" : \"x\" ,\n \"a_response\" : { \"k\" : [1, {\"}\":\"{\\\"\"}] } }";
        assert_eq!(raw_member(spaced, "a_response"), Some("{ \"k\" : [1, {\"}\":\"{\\\"\"}] }"));
    }

    #[test]
    fn a_name_inside_a_value_is_not_a_member() {
        let body = r#"{"error_response":{"sub_msg":"\"alipay_trade_query_response\":{}"},"sign":"s"}"#;
        assert_eq!(raw_member(body, "alipay_trade_query_response"), None);
        assert!(raw_member(body, "error_response").is_some());
        // The rest of the document is not checked here (the client parses it whole first).
        for broken in ["", "[]", "{", r#"{"a":"#, r#"{"a":{"b":1"#, r#"{"a" 1}"#] {
            assert_eq!(raw_member(broken, "a"), None, "{broken:?}");
        }
    }
}
