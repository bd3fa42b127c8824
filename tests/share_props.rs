//! Property tests of the share codec: every state round-trips byte for byte, and every fragment —
//! random, mutated or truncated — decodes to a state or an error without panicking.

use kubelab::share::{decode, encode, SharedState};
use proptest::prelude::*;

fn any_state() -> impl Strategy<Value = SharedState> {
    (
        any::<String>(),
        proptest::option::of("[a-z0-9-]{1,20}"),
        proptest::option::of(prop_oneof![Just("ko".to_string()), Just("en".to_string())]),
        proptest::collection::vec("[^\n]{0,40}", 0..5),
    )
        .prop_map(|(text, lesson, lang, history)| SharedState { text, lesson, lang, history, ..Default::default() })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, .. ProptestConfig::default() })]

    #[test]
    fn round_trip(s in any_state()) {
        prop_assert_eq!(decode(&encode(&s)), Ok(s));
    }

    #[test]
    fn korean_text_round_trips(text in "[가-힣a-z :\n-]{0,300}") {
        let s = SharedState { text, ..Default::default() };
        prop_assert_eq!(decode(&encode(&s)), Ok(s));
    }

    #[test]
    fn random_fragments_never_panic(frag in "(v1:)?[A-Za-z0-9_=*#-]{0,400}") {
        let _ = decode(&frag);
    }

    #[test]
    fn mutated_links_decode_or_fail_cleanly(s in any_state(), pos in any::<usize>(), byte in any::<u8>(), cut in any::<usize>()) {
        let mut enc = encode(&s).into_bytes();
        let i = pos % enc.len();
        enc[i] = b"ABCxyz019-_"[byte as usize % 11];
        let enc = String::from_utf8(enc).unwrap();
        let _ = decode(&enc);
        let _ = decode(&enc[..cut % (enc.len() + 1)]);
    }
}
