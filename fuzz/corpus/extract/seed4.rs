pub struct Half;

impl crate::Check for Half {
    fn check(&self) -> bool {
        let x = (1 + ;
    }
}
