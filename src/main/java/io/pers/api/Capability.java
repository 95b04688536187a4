package io.pers.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names a capability package for API readers: its controllers' operations are published under
 * this tag (in {@code package-info.java}, so a new controller in the package inherits it).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PACKAGE)
public @interface Capability {
    String name();

    String description();
}
