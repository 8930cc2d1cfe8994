UPDATE outcomes SET name = :name WHERE number = :number AND name != :name
