fn main() {
    for p in std::env::args().skip(1) {
        let path = std::path::PathBuf::from(&p);
        let doc = agenda::content::load_file(&path, &p).unwrap();
        for s in &doc.segments {
            println!("{:?} {:?}", s.origin, s.text);
        }
    }
}
