#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    agenda_fuzz::checks::check_yaml(data);
});
