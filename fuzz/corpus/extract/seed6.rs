use demo_app::{default_config, User};

fn main() {
    let config = default_config();
    let user = User { login: "ada".into() };
    println!("{} {}", config.address(), dcore::Named::greet(&user));
}
